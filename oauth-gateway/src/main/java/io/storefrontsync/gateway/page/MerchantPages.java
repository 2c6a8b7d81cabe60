package io.storefrontsync.gateway.page;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.storefrontsync.common.validation.ShopDomain;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.util.regex.Pattern;

/**
 * The merchant's pages (Qute, HTML-escaped by default): the status after an install, a login or the App URL, and
 * the error page. Every page goes out with the same security headers: a CSP allowing only our own script and style
 * sheet, no referrer (the callback URLs carry codes and signatures), no caching, no sniffing, and no framing
 * except, for the App URL, by the shop's own admin.
 */
public final class MerchantPages {

    /** The paths a merchant's browser opens; only these answer refusals with an error page. */
    private static final Pattern MERCHANT_PATHS =
            Pattern.compile("/shopify|/shopify/callback|/shopify/[^/]+/login|/facebook/login|/facebook/callback|/status");

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors ";

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance status(String heading, String notice, MerchantStatus status);

        static native TemplateInstance error(ErrorPage page);
    }

    private MerchantPages() {
    }

    public static boolean isMerchantPath(String path) {
        return path != null && MERCHANT_PATHS.matcher(path).matches();
    }

    /** The status page; {@code notice} (may be {@code null}) says what just happened. */
    public static Response status(MerchantStatus status, String heading, String notice, NewCookie... cookies) {
        return html(200, Templates.status(heading, notice, status).render(), "'none'").cookie(cookies).build();
    }

    /**
     * The status page of the App URL: Shopify's admin may frame it (an embedded app), so its frame-ancestors are
     * the shop's own admin hosts; everything else is as {@link #status}.
     */
    public static Response appStatus(MerchantStatus status, ShopDomain shop, NewCookie session) {
        return html(200, Templates.status("Storefront Sync for " + shop.value(), null, status).render(),
                "https://" + shop.value() + " https://admin.shopify.com").cookie(session).build();
    }

    public static Response error(ErrorPage page) {
        return html(page.status(), Templates.error(page).render(), "'none'").build();
    }

    private static Response.ResponseBuilder html(int status, String body, String frameAncestors) {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(body)
                .header("Content-Security-Policy", CSP + frameAncestors)
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store");
        if ("'none'".equals(frameAncestors)) {
            builder.header("X-Frame-Options", "DENY");
        }
        return builder;
    }
}
