package dev.streamrec.demo.monitor;

/** The HTTP API as commands to paste, with ids from the running demo. */
public final class CurlExamples {
    private CurlExamples() {
    }

    public static String text(final int port, final RunStats.Example example) {
        final String base = "http://localhost:" + port;
        return String.join("\n",
                "---- try the HTTP API (ids from this run) ----",
                "curl -s " + base + "/users/" + example.userId() + "/recommendations",
                "curl -s " + base + "/users/" + example.userId() + "/profile",
                "curl -s " + base + "/items/" + example.itemId() + "/similar",
                "curl -s " + base + "/instances",
                "curl -s " + base + "/health/ready",
                "curl -s " + base + "/metrics | grep ^streamrec_model",
                "----------------------------------------------");
    }
}
