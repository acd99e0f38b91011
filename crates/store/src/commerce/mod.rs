//! The commerce domain: catalogs and products (`catalogs`, `products`), business numbers'
//! commerce settings (`commerce_settings`), orders, payments and the fee ledger (`orders`,
//! `payments`, `fee_ledger`). Implements `wasla_core::commerce`'
//! [`CatalogStore`](wasla_core::commerce::CatalogStore) and
//! [`OrderStore`](wasla_core::commerce::OrderStore). Above integration (a settled payment
//! queues its webhook); the tools domain reads orders with its row decoder.

mod catalog;
mod orders;

pub(crate) use orders::{order, ORDER_COLS};
