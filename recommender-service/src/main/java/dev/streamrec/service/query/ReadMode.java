package dev.streamrec.service.query;

/** Whether a keyed read may be served by a standby replica that can lag behind the active one. */
public enum ReadMode {
    /** Only the active owner of the key's partition answers. */
    ACTIVE_ONLY,
    /** A local standby (or restoring) copy may answer; the value may be behind. */
    ALLOW_STALE
}
