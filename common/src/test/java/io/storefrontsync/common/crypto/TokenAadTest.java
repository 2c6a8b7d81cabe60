package io.storefrontsync.common.crypto;

import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenAadTest {

    private final TokenCipher cipher = TokenCipher.fromKeyRing("k1:" + Base64.getEncoder().encodeToString(new byte[32]));

    @Test
    void aTokenEncryptedForOneShopShouldNotDecryptForAnotherOrAsTheRefreshToken() {
        ShopDomain shop = ShopDomain.parse("demo-shop");
        String sealed = cipher.encrypt("shpat_x", TokenAad.shopifyAccessToken(shop));

        assertThat(cipher.decrypt(sealed, TokenAad.shopifyAccessToken(shop))).isEqualTo("shpat_x");
        assertThatThrownBy(() -> cipher.decrypt(sealed, TokenAad.shopifyAccessToken(ShopDomain.parse("other-shop"))))
                .isInstanceOf(TokenDecryptionException.class);
        assertThatThrownBy(() -> cipher.decrypt(sealed, TokenAad.shopifyRefreshToken(shop)))
                .isInstanceOf(TokenDecryptionException.class);
    }

    @Test
    void pageAndUserTokensShouldNotBeInterchangeable() {
        assertThat(TokenAad.facebookPageToken(PageId.parse("123"))).isNotEqualTo(TokenAad.facebookUserToken("123"));
    }
}
