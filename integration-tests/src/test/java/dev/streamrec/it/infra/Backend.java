package dev.streamrec.it.infra;

/**
 * Where the integration tests' broker and schema registry come from. Each is started at most once
 * per test run, on first use, and both are stopped by {@link #close()}.
 */
interface Backend extends AutoCloseable {

    /** Starts the broker (first call only) and returns its bootstrap servers. */
    String kafkaBootstrapServers() throws Exception;

    /**
     * Starts the registry (first call only) and returns the base URL of its Confluent-compatible
     * REST API, i.e. the value of {@code schema.registry.url}.
     */
    String registryUrl() throws Exception;

    /** One line for logs and the CI summary, e.g. which images or which runner jar. */
    String describe();

    @Override
    void close();
}
