package io.storefrontsync.worker.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** OpenAPI description of the worker: every endpoint takes an RS256 JWT signed by the gateway's key. */
@OpenAPIDefinition(info = @Info(title = "Storefront Sync sync-worker", version = "0.1.0"))
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "iss=storefront-sync, aud=sync-worker, groups: service | admin | user (sub = user uuid)")
public class WorkerApi extends Application {
}
