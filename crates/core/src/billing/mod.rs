//! Billing: rate cards by market and category, rating each delivered business message once,
//! the ledger, balances, invoices, analytics, messaging limits and quality. Uses business and
//! integration. The room is laid out; its capability lands with the pricing issue.
