package io.storefrontsync.sandbox.facebook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated state: the user who owns the Pages (every task on each), an analyst with only ANALYZE and
 * ADVERTISE on the first Page (a role Meta lets an owner give an agency, which must not be able to connect it),
 * issued codes and tokens, subscriptions, and what was called and delivered. Page data is drawn from {@code seed} so two runs with the same seed serve the same bytes
 * (hash-diff tests depend on that); tokens and codes are random because their values must not be guessable.
 */
final class FacebookWorld {

    /** Graph's lifetimes: codes live ~10 minutes, short-lived user tokens 1-2 hours, long-lived ~60 days. */
    static final Duration CODE_TTL = Duration.ofMinutes(10);
    static final Duration SHORT_LIVED = Duration.ofHours(2);
    static final Duration LONG_LIVED = Duration.ofDays(60);

    record User(String id, String name) {
    }

    /** The tasks Meta gives a Page role without MANAGE: the analyst's. */
    static final List<String> ANALYST_TASKS = List.of("ANALYZE", "ADVERTISE");

    record AuthorizationCode(String code, String redirectUri, String scope, Instant issuedAt, String userId) {
    }

    record AppSubscription(String object, String callbackUrl, List<String> fields, String verifyToken,
            boolean active) {
    }

    record Delivery(String pageId, String field, String callbackUrl, int attempts, int lastStatus,
            boolean delivered, String error, long time) {
    }

    private final Clock clock;
    private final SecureRandom secureRandom = new SecureRandom();
    private final User user;
    private final User analyst;
    /** Who the next dialogs log in as, in order (`POST /_sim/next-login`); the owner when empty. */
    private final java.util.Queue<String> nextLogins = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, FacebookPage> pages = new ConcurrentHashMap<>();
    private final List<String> pageOrder;
    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> currentPageToken = new ConcurrentHashMap<>();
    private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> pageSubscribedFields = new ConcurrentHashMap<>();
    private final Map<String, AppSubscription> appSubscriptions = new ConcurrentHashMap<>();
    private final Map<String, Integer> revisions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> callCounts = new ConcurrentHashMap<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    FacebookWorld(long seed, int pageCount, Clock clock) {
        this.clock = clock;
        Random random = new Random(seed);
        this.user = new User(digits(random, "1000", 13), pick(random, FIRST_NAMES) + " " + pick(random, LAST_NAMES));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < pageCount; i++) {
            FacebookPage page = newPage(random, i);
            pages.put(page.id(), page);
            order.add(page.id());
        }
        this.pageOrder = List.copyOf(order);
        // Its own random stream, so adding the analyst left every id and Page of a seed as it was.
        Random analystRandom = new Random(seed ^ 0x5EEDA7A1L);
        this.analyst = new User(digits(analystRandom, "1000", 13),
                pick(analystRandom, FIRST_NAMES) + " " + pick(analystRandom, LAST_NAMES));
    }

    Instant now() {
        return clock.instant();
    }

    User user() {
        return user;
    }

    Optional<User> user(String id) {
        if (user.id().equals(id)) {
            return Optional.of(user);
        }
        return analyst.id().equals(id) ? Optional.of(analyst) : Optional.empty();
    }

    /** The user's tasks on the Page, as {@code /me/accounts?fields=tasks} lists them; empty without a role. */
    List<String> tasks(String userId, String pageId) {
        if (user.id().equals(userId) && pages.containsKey(pageId)) {
            return PageHandler.TASKS;
        }
        if (analyst.id().equals(userId) && !pageOrder.isEmpty() && pageOrder.get(0).equals(pageId)) {
            return ANALYST_TASKS;
        }
        return List.of();
    }

    /** The Pages the user has a role on, in order. */
    List<FacebookPage> pagesOf(String userId) {
        return pages().stream().filter(page -> !tasks(userId, page.id()).isEmpty()).toList();
    }

    /** The next dialog approves as this user instead of the owner. */
    boolean loginNextAs(String userId) {
        if (user(userId).isEmpty()) {
            return false;
        }
        nextLogins.add(userId);
        return true;
    }

    List<FacebookPage> pages() {
        return pageOrder.stream().map(pages::get).toList();
    }

    Optional<FacebookPage> page(String id) {
        return Optional.ofNullable(pages.get(id));
    }

    void replacePage(FacebookPage page) {
        pages.put(page.id(), page);
    }

    /** The edit number of the Page's next simulated change (1, 2, ...), so edits differ and stay reproducible. */
    int nextRevision(String pageId) {
        return revisions.merge(pageId, 1, Integer::sum);
    }

    // --- OAuth codes and tokens ---------------------------------------------------------------

    AuthorizationCode issueCode(String redirectUri, String scope) {
        String userId = Optional.ofNullable(nextLogins.poll()).orElse(user.id());
        AuthorizationCode code = new AuthorizationCode("AQ" + randomToken(180), redirectUri, scope, now(), userId);
        codes.put(code.code(), code);
        return code;
    }

    Optional<AuthorizationCode> code(String code) {
        return Optional.ofNullable(codes.get(code));
    }

    /** Marks a code used; false if it was used before. Graph codes are single use. */
    boolean consumeCode(String code) {
        return usedCodes.add(code);
    }

    AccessToken issueUserToken(String userId, Duration lifetime) {
        return store(new AccessToken("EAA" + randomToken(190), AccessToken.Kind.USER, userId, null,
                now().plus(lifetime), false));
    }

    /** The owner's current token for the page. */
    AccessToken pageToken(String pageId) {
        return pageToken(pageId, user.id());
    }

    /**
     * The user's current token for the page, minting a fresh one when the last one expired (what a new login
     * yields). Graph hands one to any role on the Page; what it may do depends on the role's tasks.
     */
    AccessToken pageToken(String pageId, String userId) {
        String key = userId + "/" + pageId;
        AccessToken current = Optional.ofNullable(currentPageToken.get(key)).map(tokens::get).orElse(null);
        if (current != null && !current.expiredAt(now()) && !current.revoked()) {
            return current;
        }
        AccessToken fresh = store(new AccessToken("EAA" + randomToken(190), AccessToken.Kind.PAGE, userId, pageId,
                null, false));
        currentPageToken.put(key, fresh.value());
        return fresh;
    }

    Optional<AccessToken> token(String value) {
        return Optional.ofNullable(tokens.get(value));
    }

    /** Expires every token issued for the page now (fault {@code token_expired}). */
    int expirePageTokens(String pageId) {
        Instant now = now();
        int expired = 0;
        for (AccessToken token : List.copyOf(tokens.values())) {
            if (token.kind() == AccessToken.Kind.PAGE && pageId.equals(token.pageId()) && !token.expiredAt(now)) {
                tokens.put(token.value(), token.expire(now.minusSeconds(1)));
                expired++;
            }
        }
        return expired;
    }

    /** App de-authorization: every user and Page token of the user stops working (code 190, subcode 460). */
    int revokeUserTokens(String userId) {
        int revoked = 0;
        for (AccessToken token : List.copyOf(tokens.values())) {
            if (token.kind() != AccessToken.Kind.APP && userId.equals(token.userId()) && !token.revoked()) {
                tokens.put(token.value(), new AccessToken(token.value(), token.kind(), token.userId(),
                        token.pageId(), token.expiresAt(), true));
                revoked++;
            }
        }
        // Without access to the Pages the app also loses the webhook subscriptions the owner made.
        if (user.id().equals(userId)) {
            pageSubscribedFields.clear();
        }
        return revoked;
    }

    private AccessToken store(AccessToken token) {
        tokens.put(token.value(), token);
        return token;
    }

    String randomToken(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(secureRandom.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    // --- subscriptions ----------------------------------------------------------------------

    void subscribePage(String pageId, Collection<String> fields) {
        pageSubscribedFields.compute(pageId, (id, old) -> {
            Set<String> merged = new LinkedHashSet<>(old == null ? Set.of() : old);
            merged.addAll(fields);
            return merged;
        });
    }

    boolean unsubscribePage(String pageId) {
        return pageSubscribedFields.remove(pageId) != null;
    }

    /** The fields the Page subscribed the app to, in the order they were posted. */
    Optional<List<String>> pageSubscription(String pageId) {
        return Optional.ofNullable(pageSubscribedFields.get(pageId)).map(List::copyOf);
    }

    void putAppSubscription(AppSubscription subscription) {
        appSubscriptions.put(subscription.object(), subscription);
    }

    Optional<AppSubscription> appSubscription(String object) {
        return Optional.ofNullable(appSubscriptions.get(object));
    }

    Collection<AppSubscription> appSubscriptions() {
        return List.copyOf(appSubscriptions.values());
    }

    boolean removeAppSubscription(String object) {
        return appSubscriptions.remove(object) != null;
    }

    // --- bookkeeping for /_sim/state --------------------------------------------------------

    void countCall(String method, String path) {
        callCounts.computeIfAbsent(method + " " + path, k -> new AtomicLong()).incrementAndGet();
    }

    void recordDelivery(Delivery delivery) {
        deliveries.add(delivery);
    }

    JsonObject stateJson() {
        JsonObject calls = new JsonObject();
        callCounts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> calls.put(e.getKey(), e.getValue().get()));
        JsonObject pageSubs = new JsonObject();
        pageSubscribedFields.forEach((id, fields) -> pageSubs.put(id, new JsonArray(List.copyOf(fields))));
        JsonArray appSubs = new JsonArray();
        appSubscriptions.values().forEach(s -> appSubs.add(new JsonObject().put("object", s.object())
                .put("callback_url", s.callbackUrl()).put("fields", new JsonArray(s.fields()))
                .put("active", s.active())));
        JsonArray delivered = new JsonArray();
        deliveries.forEach(d -> delivered.add(JsonObject.mapFrom(d)));
        return new JsonObject()
                .put("calls", calls)
                .put("page_subscriptions", pageSubs)
                .put("app_subscriptions", appSubs)
                .put("deliveries", delivered)
                .put("delivery_count", deliveries.size());
    }

    JsonObject userJson() {
        JsonObject analystJson = new JsonObject().put("id", analyst.id()).put("name", analyst.name())
                .put("pages", new JsonArray(pageOrder.isEmpty() ? List.of() : List.of(pageOrder.get(0))))
                .put("tasks", new JsonArray(ANALYST_TASKS));
        return new JsonObject().put("id", user.id()).put("name", user.name())
                .put("pages", new JsonArray(pageOrder)).put("analyst", analystJson);
    }

    // --- fixture data -----------------------------------------------------------------------

    private static final String[] FIRST_NAMES = {"Alex", "Maria", "Sam", "Priya", "Jonas", "Aiko", "Lena", "Omar"};
    private static final String[] LAST_NAMES = {"Rivera", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak"};
    private static final String[] SHOP_WORDS = {"Harbor", "Juniper", "Copper", "Maple", "Northwind", "Saffron",
            "Willow", "Granite", "Bluebird", "Lantern"};
    private static final String[] SHOP_KINDS = {"Outfitters", "Goods", "Supply Co.", "Market", "Studio", "Bakery"};
    static final List<FacebookPage.Category> CATEGORIES = List.of(
            new FacebookPage.Category("200600219953504", "Clothing Store"),
            new FacebookPage.Category("128003127270269", "Shopping & Retail"),
            new FacebookPage.Category("192108214153222", "Home Decor"),
            new FacebookPage.Category("164886566892249", "Grocery Store"),
            new FacebookPage.Category("2500", "Local Business"));
    private static final String[][] CITIES = {
            {"Portland", "OR", "97205", "45.5202", "-122.6742"},
            {"Austin", "TX", "78701", "30.2672", "-97.7431"},
            {"Denver", "CO", "80202", "39.7392", "-104.9903"},
            {"Madison", "WI", "53703", "43.0731", "-89.4012"}};

    private FacebookPage newPage(Random random, int index) {
        String word = pick(random, SHOP_WORDS);
        String kind = pick(random, SHOP_KINDS);
        String name = word + " " + kind;
        String handle = (word + kind).toLowerCase().replaceAll("[^a-z]", "") + (index + 1);
        FacebookPage.Category category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        String[] city = CITIES[random.nextInt(CITIES.length)];
        FacebookPage.Location location = new FacebookPage.Location(
                (100 + random.nextInt(8900)) + " " + pick(random, SHOP_WORDS) + " St", city[0], city[1], city[2],
                "United States", Double.parseDouble(city[3]), Double.parseDouble(city[4]));
        long followers = 200 + random.nextInt(50_000);
        String id = digits(random, "10", 13);
        return new FacebookPage(
                id, name, handle, category, List.of(category, CATEGORIES.get(1)),
                name + " — small-batch goods, shipped from " + city[0] + ".",
                "Family-run since " + (1990 + random.nextInt(30)) + ". We sell what we make and ship it ourselves.",
                "https://" + handle + ".example.com/",
                List.of("hello@" + handle + ".example.com"),
                "+1 555-" + (100 + random.nextInt(900)) + "-" + (1000 + random.nextInt(9000)),
                location, followers - random.nextInt(150), followers,
                "https://scontent.sandbox.invalid/v/t39.30808-1/" + id + "_" + random.nextInt(1_000_000) + ".jpg",
                "$$", "09:00", "18:00", null, null, null, 0);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String digits(Random random, String prefix, int count) {
        StringBuilder out = new StringBuilder(prefix);
        for (int i = 0; i < count; i++) {
            out.append(random.nextInt(10));
        }
        return out.toString();
    }
}
