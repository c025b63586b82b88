package dev.streamrec.service.http.dto;

/** Liveness or readiness: {@code status} UP, READY or NOT_READY, and the Kafka Streams state. */
public record HealthView(String status, String streamsState) {
}
