package dev.footfall.common.web;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Every service's entry point. Quarkus checks each request target with {@code java.net.URI} before any route and
 * answers one it cannot parse (a malformed %-escape, a raw {@code |} or {@code "}) with an empty 400 that no handler
 * can turn into a problem. {@code vertx.disableURIValidation} turns that check off, so that {@link RequestTarget}
 * makes it instead (as strictly, and stricter: control characters, invalid UTF-8) and answers with a problem. Quarkus
 * reads the property once, when its HTTP recorder loads, so it is set here before Quarkus starts; tests set it in the
 * build (pom.xml, surefire).
 */
@QuarkusMain
public final class FootfallMain {

    static final String URI_VALIDATION_OFF = "vertx.disableURIValidation";

    private FootfallMain() {
    }

    public static void main(String... args) {
        System.setProperty(URI_VALIDATION_OFF, "true");
        Quarkus.run(args);
    }
}
