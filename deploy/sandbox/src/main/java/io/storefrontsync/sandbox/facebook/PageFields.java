package io.storefrontsync.sandbox.facebook;

import java.util.Set;

/**
 * The names Graph knows on a Page, so the simulator can refuse a field that does not exist exactly as Graph
 * does ("(#100) Tried accessing nonexisting field (email) on node type (Page)").
 *
 * <p>Source: the Page node reference, https://developers.facebook.com/docs/graph-api/reference/page/ (Fields
 * and Webhook sections), cross-checked against Meta's generated business SDK, which is built from the same API
 * spec ({@code facebook_business/adobjects/page.py}: {@code Page.Field} and {@code Page.SubscribedFields}).
 * Notably {@code emails} exists and {@code email} does not; a Page has no {@code created_time}.
 */
final class PageFields {

    private PageFields() {
    }

    /** Fields of the Page node (v2x). */
    static final Set<String> NODE_FIELDS = Set.of(
            "about", "access_token", "ad_campaign", "affiliation", "app_id", "artists_we_like", "attire",
            "available_promo_offer_ids", "awards", "band_interests", "band_members", "best_page", "bio",
            "birthday", "booking_agent", "breaking_news_usage", "built", "business", "can_checkin", "can_post",
            "category", "category_list", "checkins", "company_overview", "connected_instagram_account",
            "connected_page_backed_instagram_account", "contact_address", "copyright_whitelisted_ig_partners",
            "country_page_likes", "cover", "culinary_team", "current_location", "delivery_and_pickup_option_info",
            "description", "description_html", "differently_open_offerings", "directed_by", "display_subtext",
            "displayed_message_response_time", "does_viewer_have_page_permission_link_ig", "emails",
            "engagement", "fan_count", "featured_video", "features", "followers_count", "food_styles",
            "founded", "general_info", "general_manager", "genre", "global_brand_page_name",
            "global_brand_root_id", "has_added_app", "has_lead_access", "has_transitioned_to_new_page_experience",
            "has_whatsapp_business_number", "has_whatsapp_number", "hometown", "hours", "id", "impressum",
            "influences", "instagram_business_account", "is_always_open", "is_calling_eligible", "is_chain",
            "is_community_page", "is_eligible_for_branded_content",
            "is_eligible_for_disable_connect_ig_btn_for_non_page_admin_am_web",
            "is_messenger_bot_get_started_enabled", "is_messenger_platform_bot", "is_owned",
            "is_permanently_closed", "is_published", "is_unclaimed", "is_verified", "is_webhooks_subscribed",
            "keywords", "leadgen_tos_acceptance_time", "leadgen_tos_accepted", "leadgen_tos_accepting_user",
            "link", "location", "members", "merchant_id", "merchant_review_status", "messaging_feature_status",
            "messenger_ads_default_icebreakers", "messenger_ads_default_quick_replies",
            "messenger_ads_quick_replies_type", "mini_shop_storefront", "mission", "mpg", "name",
            "name_with_location_descriptor", "network", "new_like_count", "offer_eligible",
            "overall_star_rating", "owner_business", "page_token", "parent_page", "parking", "payment_options",
            "personal_info", "personal_interests", "pharma_safety_info", "phone", "pickup_options", "place_type",
            "plot_outline", "preferred_audience", "press_contact", "price_range", "privacy_info_url",
            "produced_by", "products", "promotion_eligible", "promotion_ineligible_reason", "public_transit",
            "rating_count", "recipient", "record_label", "release_date", "restaurant_services",
            "restaurant_specialties", "schedule", "screenplay_by", "season", "single_line_address", "starring",
            "start_info", "store_code", "store_location_descriptor", "store_number", "studio",
            "supports_donate_button_in_live_video", "talking_about_count", "temporary_status",
            "unread_message_count", "unread_notif_count", "unseen_message_count", "user_access_expire_time",
            "username", "verification_status", "voip_info", "website", "were_here_count", "whatsapp_number",
            "written_by");

    /**
     * Edges that may be asked for inside {@code fields=} (field expansion). Only {@code picture} is imitated;
     * Graph answers it as {@code {"data": {...ProfilePictureSource}}}.
     */
    static final Set<String> EXPANDABLE_EDGES = Set.of("picture");

    /** Fields of ProfilePictureSource, what {@code picture{...}} may select. */
    static final Set<String> PICTURE_FIELDS = Set.of("cache_key", "height", "is_silhouette", "url", "width");

    /** What Graph answers for a Page when no {@code fields} is given. */
    static final java.util.List<String> DEFAULT_FIELDS = java.util.List.of("name", "id");

    /**
     * Page webhook fields an app may subscribe to with {@code POST /{page-id}/subscribed_apps}
     * (Webhooks reference for the Page object; same source as above, {@code Page.SubscribedFields}).
     * Unlike the node, the webhook list does have {@code email}.
     */
    static final Set<String> WEBHOOK_FIELDS = Set.of(
            "affiliation", "attire", "awards", "bio", "birthday", "call_permission_reply", "calls", "category",
            "checkins", "company_overview", "conversations", "culinary_team", "current_location", "description",
            "email", "feature_access_list", "feed", "founded", "general_info", "general_manager", "group_feed",
            "hometown", "hours", "inbox_labels", "invalid_topic_placeholder", "invoice_access_bank_slip_events",
            "invoice_access_invoice_change", "invoice_access_invoice_draft_change",
            "invoice_access_onboarding_status_active", "leadgen", "leadgen_fat", "live_videos", "local_delivery",
            "location", "marketing_message_delivery_failed", "mcom_invoice_change", "members", "mention",
            "merchant_review", "message_context", "message_deliveries", "message_echoes", "message_edits",
            "message_mention", "message_reactions", "message_reads", "message_template_status_update", "messages",
            "messaging_account_linking", "messaging_appointments", "messaging_checkout_updates",
            "messaging_customer_information", "messaging_direct_sends", "messaging_fblogin_account_linking",
            "messaging_feedback", "messaging_game_plays", "messaging_handovers",
            "messaging_in_thread_lead_form_submit", "messaging_integrity", "messaging_optins", "messaging_optouts",
            "messaging_payments", "messaging_policy_enforcement", "messaging_postbacks", "messaging_pre_checkouts",
            "messaging_referrals", "mission", "name", "page_about_story", "page_change_proposal",
            "page_upcoming_change", "parking", "payment_options", "payment_request_update", "personal_info",
            "personal_interests", "phone", "picture", "price_range", "product_review", "products",
            "public_transit", "publisher_subscriptions", "ratings", "registration", "response_feedback",
            "send_cart", "standby", "user_action", "video_text_question_responses", "videos", "website");

    static boolean isNodeField(String name) {
        return NODE_FIELDS.contains(name) || EXPANDABLE_EDGES.contains(name);
    }
}
