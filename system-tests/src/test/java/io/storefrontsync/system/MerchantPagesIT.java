package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #16 in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's chromedriver (never a
 * downloaded one), through the whole install and Facebook Login against the simulators, the way a merchant clicks
 * it: the pages, the first-sync sentence the page's script updates from {@code /status} (under the page's CSP), the
 * links to the other side, the error pages with their statuses and retry links, and the App URL. Each page's visible
 * text is logged and written to {@code target/merchant-pages.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MerchantPagesIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The page polls every 2 s; the outbox retries at most every 3 s here (GATEWAY_OUTBOX_MAX_BACKOFF). */
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Path TRANSCRIPT = Path.of("target", "merchant-pages.txt");
    private static final int PRODUCTS = 60;
    /** The worker's progress of the products read, as the status page words it. */
    private static final Pattern READING = Pattern.compile("First sync running: \\d+ of " + PRODUCTS + " products read\\.");

    private static EndToEndSystem system;
    private static SystemClient client;
    private static WebDriver browser;
    private static String gateway;
    private static String installCallbackUrl;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "MerchantPagesIT needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); "
                        + "install them with `apt-get install -y chromium chromium-driver` (.ci/run does it when missing)");
        Files.deleteIfExists(TRANSCRIPT);
        // A store of 60 products, read page by page (never a bulk operation), so the page counts them and the first
        // sync ends within the test's patience (650, the default, take minutes of throttled reads).
        system = EndToEndSystem.start("MerchantPagesIT", Map.of("GATEWAY_OUTBOX_MAX_BACKOFF", "3s",
                "STOREFRONT_SHOPIFY_BULK_THRESHOLD", "0", "SIM_SHOPIFY_PRODUCTS", String.valueOf(PRODUCTS)));
        client = new SystemClient(system);
        gateway = system.gateway().url();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1200,900", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (client != null) {
            client.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void theInstallShouldEndOnTheStatusPageWhoseFirstSyncSentenceTheScriptUpdates() throws Exception {
        // With the worker down the first sync cannot be handed over: the page shows it queued.
        system.worker().stop();
        browser.get(gateway + "/shopify/" + DemoShop.NAME + "/login");

        assertThat(status()).isEqualTo(200);
        assertThat(browser.getCurrentUrl()).startsWith(gateway + "/shopify/callback?");
        installCallbackUrl = browser.getCurrentUrl();
        assertThat(heading()).isEqualTo("Your Shopify store is connected");
        assertThat(body()).contains(DemoShop.DOMAIN + " is connected and its first sync was queued.")
                .contains(DemoShop.DOMAIN + ": connected").contains("Connect your Facebook Pages");
        assertThat(browser.findElement(By.className("sync")).getText()).startsWith("First sync queued at ");
        record("after the Shopify install, the sync worker down");

        // The page's own script (allowed by its CSP) polls /status and rewrites the sentence, without a reload: the
        // worker's progress of the first sync (Admin API answers slowed so the product pages take some seconds), then
        // its end.
        client.postJson(system.shopifySimulatorUrl() + "/_sim/latency", "{\"millis\":1000}", null);
        system.worker().start();
        Set<String> seen = new LinkedHashSet<>();
        new WebDriverWait(browser, WAIT).pollingEvery(Duration.ofMillis(100))
                .withMessage(() -> "the products read of the total, seen so far: " + seen).until(b -> {
                    String sentence = b.findElement(By.className("sync")).getText();
                    seen.add(sentence);
                    return READING.matcher(sentence).matches() && !sentence.startsWith("First sync running: 0 of");
                });
        record("the same page, while the worker reads the products");
        client.postJson(system.shopifySimulatorUrl() + "/_sim/latency", "{\"millis\":0}", null);
        awaitSyncSentences(1);
        assertThat(browser.findElement(By.className("sync")).getText())
                .matches("Synced at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC: " + PRODUCTS + " products copied\\.");
        assertThat(browser.getCurrentUrl()).isEqualTo(installCallbackUrl);
        record("the same page, once the first sync is done");
        JsonNode json = SystemClient.JSON.readTree(client.get(gateway + "/status", sessionCookie()).body());
        JsonNode firstSync = json.path("shops").get(0).path("first_sync");
        assertThat(firstSync.path("state").asText()).as(json.toString()).isEqualTo("synced");
        assertThat(firstSync.path("products_read").asInt()).as(json.toString()).isEqualTo(PRODUCTS);
        assertThat(json.path("settled").asBoolean()).as(json.toString()).isTrue();
        for (String token : client.simulatorTokens()) {
            assertThat(browser.getPageSource()).doesNotContain(token);
        }
    }

    @Test
    @Order(2)
    void theFacebookLinkShouldConnectBothPagesAndShowThem() throws Exception {
        browser.findElement(By.id("connect-facebook")).click();

        assertThat(status()).isEqualTo(200);
        assertThat(browser.getCurrentUrl()).startsWith(gateway + "/facebook/callback?");
        assertThat(heading()).isEqualTo("Your Facebook Pages are connected");
        assertThat(body()).contains("Connected 2 Pages: ").contains(DemoShop.DOMAIN + ": connected")
                .contains("Connect more Facebook Pages or log in again");
        awaitSyncSentences(3);
        record("after Facebook Login");
    }

    @Test
    @Order(3)
    void aDeclinedFacebookLoginShouldShowA403PageWhoseRetryConnects() throws Exception {
        client.postJson(system.facebookSimulatorUrl() + "/_sim/faults", "{\"kind\":\"login_denied\"}", null);
        browser.findElement(By.id("connect-facebook")).click();

        assertThat(status()).isEqualTo(403);
        assertThat(heading()).isEqualTo("Facebook Pages not connected");
        record("Facebook Login declined");
        browser.findElement(By.id("retry")).click();

        assertThat(status()).isEqualTo(200);
        assertThat(heading()).isEqualTo("Your Facebook Pages are connected");
    }

    @Test
    @Order(4)
    void aReplayedInstallLinkShouldShowA403PageWhoseRetryInstallsAgain() throws Exception {
        browser.get(installCallbackUrl);

        assertThat(status()).isEqualTo(403);
        assertThat(heading()).isEqualTo("This sign-in link can no longer be used");
        record("the install's callback opened again");
        browser.findElement(By.id("retry")).click();

        assertThat(status()).isEqualTo(200);
        assertThat(heading()).isEqualTo("Your Shopify store is connected");
        assertThat(body()).contains("Connect more Facebook Pages");
    }

    @Test
    @Order(5)
    void theAppUrlShouldShowTheInstalledShopAndSendAnUnknownOneToItsInstall() throws Exception {
        browser.get(gateway + "/shopify?" + appUrlQuery(DemoShop.DOMAIN, Instant.now()));

        assertThat(status()).isEqualTo(200);
        assertThat(heading()).isEqualTo("Storefront Sync for " + DemoShop.DOMAIN);
        assertThat(body()).contains(DemoShop.DOMAIN + ": connected");
        // The reinstall of the step before queued a new first sync; the page's script shows it end.
        new WebDriverWait(browser, WAIT).withMessage("the shop's first-sync sentence to say it is synced").until(b -> b
                .findElement(By.cssSelector(".sync[data-target='shop:" + DemoShop.DOMAIN + "']")).getText()
                .startsWith("Synced at "));
        record("the App URL, opened from the Shopify admin");

        String unknown = "not-installed-here.myshopify.com";
        browser.get(gateway + "/shopify?" + appUrlQuery(unknown, Instant.now()));
        assertThat(browser.getCurrentUrl()).startsWith(system.shopifySimulatorUrl() + "/" + unknown + "/admin/oauth/authorize?");
    }

    @Test
    @Order(6)
    void aStaleAppUrlShouldShowA401Page() throws Exception {
        browser.get(gateway + "/shopify?" + appUrlQuery(DemoShop.DOMAIN, Instant.now().minusSeconds(3600)));

        assertThat(status()).isEqualTo(401);
        assertThat(heading()).isEqualTo("We could not verify this request came from Shopify");
        record("a stale App URL");
    }

    /** The browser's session cookie, for the JSON the page's script polls. */
    private static String sessionCookie() {
        return OAuthTraces.SESSION + "=" + browser.manage().getCookieNamed(OAuthTraces.SESSION).getValue();
    }

    /** The HTTP status of the page the browser shows (Navigation Timing). */
    private static long status() {
        Object status = ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('navigation')[0].responseStatus;");
        return ((Number) status).longValue();
    }

    private static String heading() {
        return browser.findElement(By.tagName("h1")).getText();
    }

    private static String body() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static void awaitSyncSentences(int count) {
        new WebDriverWait(browser, WAIT).withMessage("every first-sync sentence to say it is synced").until(b -> {
            List<String> sentences = b.findElements(By.className("sync")).stream().map(e -> e.getText()).toList();
            return sentences.size() == count && sentences.stream().allMatch(s -> s.startsWith("Synced at "));
        });
    }

    /** Logs what the merchant sees and appends it to the transcript. */
    private static void record(String when) throws Exception {
        String text = "=== " + when + " (HTTP " + status() + ") ===\n" + body() + "\n\n";
        System.out.print(text);
        Files.createDirectories(TRANSCRIPT.getParent());
        Files.writeString(TRANSCRIPT, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** The link the Shopify admin opens: shop, host and timestamp, signed with the app secret. */
    private static String appUrlQuery(String shop, Instant at) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("host", List.of(Base64.getEncoder().withoutPadding().encodeToString(
                ("admin.shopify.com/store/" + shop.replace(".myshopify.com", "")).getBytes(StandardCharsets.UTF_8))));
        params.put("shop", List.of(shop));
        params.put("timestamp", List.of(String.valueOf(at.getEpochSecond())));
        String hmac = ShopifyOAuthQueryVerifier.sign(params, system.env().get("SHOPIFY_API_SECRET"));
        return params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue().get(0)))
                .collect(Collectors.joining("&")) + "&hmac=" + hmac;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
