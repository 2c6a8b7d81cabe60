package io.storefrontsync.gateway.page;

import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.ShopDomain;

/**
 * What a merchant's browser is told when an install, a login or the App URL is refused: a sentence they can act on
 * and a way to try again, for the same status and error code the JSON answer carries. Pure, so every refusal's
 * wording is tested without a server. {@code details} is the {@code ApiError} message, which never holds a secret.
 */
public record ErrorPage(int status, String error, String title, String explanation, String details, String retryUrl,
                        String retryLabel) {

    /**
     * @param path the request path ({@code /shopify/callback}, {@code /facebook/callback}, …)
     * @param shop the request's {@code shop} parameter, or {@code null}; used only when it is a valid shop domain
     */
    public static ErrorPage of(int status, String error, String message, String path, String shop) {
        boolean facebook = path.startsWith("/facebook");
        String shopRetry = shopLogin(shop);
        String retryUrl = facebook ? "/facebook/login" : shopRetry;
        String retryLabel = facebook ? "Try connecting Facebook again" : "Start the install again";
        String title;
        String explanation;
        switch (error) {
            case "access_denied" -> {
                title = "Facebook Pages not connected";
                explanation = "Facebook Login was cancelled or the permissions we need were not granted, so no Page "
                        + "was connected and nothing was stored.";
            }
            case "invalid_state" -> {
                title = "This sign-in link can no longer be used";
                explanation = "It has expired, was already used, or was started in another browser. Start again "
                        + "from here, in this browser.";
            }
            case "invalid_signature" -> {
                title = "We could not verify this request came from Shopify";
                explanation = "The link did not carry a valid Shopify signature, or it is too old. Open Storefront "
                        + "Sync again from your Shopify admin" + (shopRetry == null ? "." : ", or start the install again.");
            }
            case "no_session" -> {
                title = "Please install the app first";
                explanation = "We don't know which store you are connecting, or your session has ended. Open "
                        + "Storefront Sync from your Shopify admin (or install it on your store) and continue from there.";
                retryUrl = shopRetry;
                retryLabel = "Start the install again";
            }
            case "invalid_shop", "invalid_input" -> {
                title = "That is not a Shopify store address";
                explanation = "Use your store's name, like your-store or your-store.myshopify.com.";
            }
            default -> {
                if (status >= 500) {
                    title = "Something went wrong";
                    explanation = "We could not finish because a service did not answer in time. Nothing was lost; "
                            + "please try again in a minute.";
                } else {
                    title = "We could not finish connecting";
                    explanation = "The request was refused. Please start again.";
                }
            }
        }
        return new ErrorPage(status, error, title, explanation, message == null ? "" : message, retryUrl, retryLabel);
    }

    private static String shopLogin(String shop) {
        if (shop == null || shop.isBlank()) {
            return null;
        }
        try {
            return "/shopify/" + ShopDomain.parse(shop).value() + "/login";
        } catch (InvalidInputException e) {
            return null;
        }
    }
}
