//! Catalogs (one per WABA), their products (unique by retailer id within a catalog) and the
//! commerce settings of business numbers: the [`CatalogStore`] impl.

use crate::{db_err, SqlStore};
use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::Row;
use wasla_core::commerce::{CatalogRow, CatalogStore, CommerceSettings, ProductRow};
use wasla_core::Result;

const PRODUCT_COLS: &str =
    "id, catalog_id, retailer_id, name, description, price, sale_price, currency, \
     image_url, extra_images, url, availability, inventory, item_group_id, variant, collections, \
     created_at, updated_at";

fn json_list(s: String) -> Vec<String> {
    serde_json::from_str(&s).unwrap_or_default()
}

fn product(r: &AnyRow) -> ProductRow {
    ProductRow {
        id: r.get(0),
        catalog_id: r.get(1),
        retailer_id: r.get(2),
        name: r.get(3),
        description: r.get(4),
        price: r.get(5),
        sale_price: r.get(6),
        currency: r.get(7),
        image_url: r.get(8),
        extra_images: json_list(r.get(9)),
        url: r.get(10),
        availability: r.get(11),
        inventory: r.get(12),
        item_group_id: r.get(13),
        variant: serde_json::from_str(&r.get::<String, _>(14)).unwrap_or_default(),
        collections: json_list(r.get(15)),
        created_at: r.get(16),
        updated_at: r.get(17),
    }
}

fn catalog(r: &AnyRow) -> CatalogRow {
    CatalogRow {
        id: r.get(0),
        waba_id: r.get(1),
        name: r.get(2),
        created_at: r.get(3),
    }
}

fn to_json(v: impl Into<serde_json::Value>) -> String {
    v.into().to_string()
}

#[async_trait]
impl CatalogStore for SqlStore {
    async fn put_catalog_image(
        &self,
        media_id: i64,
        waba_id: i64,
        mime: &str,
        at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO catalog_images (media_id, waba_id, mime_type, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(media_id)
        .bind(waba_id)
        .bind(mime)
        .bind(at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn catalog_image(&self, media_id: i64) -> Result<Option<String>> {
        let r = sqlx::query("SELECT mime_type FROM catalog_images WHERE media_id = $1")
            .bind(media_id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.map(|r| r.get(0)))
    }

    async fn create_catalog(&self, c: &CatalogRow) -> Result<()> {
        sqlx::query("INSERT INTO catalogs (id, waba_id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(c.id)
            .bind(c.waba_id)
            .bind(&c.name)
            .bind(c.created_at)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn catalog(&self, id: i64) -> Result<Option<CatalogRow>> {
        let r = sqlx::query("SELECT id, waba_id, name, created_at FROM catalogs WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(db_err)?;
        Ok(r.as_ref().map(catalog))
    }

    async fn catalog_of_waba(&self, waba_id: i64) -> Result<Option<CatalogRow>> {
        let r =
            sqlx::query("SELECT id, waba_id, name, created_at FROM catalogs WHERE waba_id = $1")
                .bind(waba_id)
                .fetch_optional(&self.read)
                .await
                .map_err(db_err)?;
        Ok(r.as_ref().map(catalog))
    }

    async fn insert_product(&self, p: &ProductRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO products ({PRODUCT_COLS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
        ))
        .bind(p.id)
        .bind(p.catalog_id)
        .bind(&p.retailer_id)
        .bind(&p.name)
        .bind(&p.description)
        .bind(p.price)
        .bind(p.sale_price)
        .bind(&p.currency)
        .bind(&p.image_url)
        .bind(to_json(p.extra_images.clone()))
        .bind(&p.url)
        .bind(&p.availability)
        .bind(p.inventory)
        .bind(&p.item_group_id)
        .bind(to_json(p.variant.clone()))
        .bind(to_json(p.collections.clone()))
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn update_product(&self, p: &ProductRow) -> Result<()> {
        sqlx::query(
            "UPDATE products SET retailer_id = $2, name = $3, description = $4, price = $5, \
             sale_price = $6, currency = $7, image_url = $8, extra_images = $9, url = $10, \
             availability = $11, inventory = $12, item_group_id = $13, variant = $14, \
             collections = $15, updated_at = $16 WHERE id = $1",
        )
        .bind(p.id)
        .bind(&p.retailer_id)
        .bind(&p.name)
        .bind(&p.description)
        .bind(p.price)
        .bind(p.sale_price)
        .bind(&p.currency)
        .bind(&p.image_url)
        .bind(to_json(p.extra_images.clone()))
        .bind(&p.url)
        .bind(&p.availability)
        .bind(p.inventory)
        .bind(&p.item_group_id)
        .bind(to_json(p.variant.clone()))
        .bind(to_json(p.collections.clone()))
        .bind(p.updated_at)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn product(&self, id: i64) -> Result<Option<ProductRow>> {
        let r = sqlx::query(&format!(
            "SELECT {PRODUCT_COLS} FROM products WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(product))
    }

    async fn product_by_retailer_id(
        &self,
        catalog_id: i64,
        retailer_id: &str,
    ) -> Result<Option<ProductRow>> {
        let r = sqlx::query(&format!(
            "SELECT {PRODUCT_COLS} FROM products WHERE catalog_id = $1 AND retailer_id = $2"
        ))
        .bind(catalog_id)
        .bind(retailer_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(r.as_ref().map(product))
    }

    async fn products(
        &self,
        catalog_id: i64,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ProductRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {PRODUCT_COLS} FROM products WHERE catalog_id = $1 AND id > $2 \
             ORDER BY id LIMIT $3"
        ))
        .bind(catalog_id)
        .bind(after.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(db_err)?;
        Ok(rows.iter().map(product).collect())
    }

    async fn delete_product(&self, id: i64) -> Result<bool> {
        let r = sqlx::query("DELETE FROM products WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() > 0)
    }

    async fn commerce_settings(&self, account_id: i64) -> Result<CommerceSettings> {
        let r = sqlx::query(
            "SELECT is_cart_enabled, is_catalog_visible FROM commerce_settings WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.read)
        .await
        .map_err(db_err)?;
        Ok(match r {
            Some(r) => CommerceSettings {
                is_cart_enabled: r.get::<i64, _>(0) != 0,
                is_catalog_visible: r.get::<i64, _>(1) != 0,
            },
            None => CommerceSettings::default(),
        })
    }

    async fn save_commerce_settings(
        &self,
        account_id: i64,
        s: CommerceSettings,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO commerce_settings (account_id, is_cart_enabled, is_catalog_visible, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (account_id) DO UPDATE SET \
             is_cart_enabled = excluded.is_cart_enabled, \
             is_catalog_visible = excluded.is_catalog_visible, updated_at = excluded.updated_at",
        )
        .bind(account_id)
        .bind(s.is_cart_enabled as i64)
        .bind(s.is_catalog_visible as i64)
        .bind(now)
        .execute(&self.write)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
