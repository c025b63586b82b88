package dev.streamrec.bench.e2e;

import org.apache.avro.specific.SpecificRecord;

/** One event for an input topic: which stream, its key (the user id) and its Avro value. */
record InputEvent(Kind kind, String userId, SpecificRecord value) {
    enum Kind { CLICK, PURCHASE, RATING }
}
