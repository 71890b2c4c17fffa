//! The lab schema: a small `shop` database with realistic roles, idempotent to set up.

use super::{Cluster, LabError};

/// The database the workload runs in.
pub const DB: &str = "shop";

/// Roles the workload logs in as (trust auth, no passwords).
pub(crate) const ROLES: [&str; 3] = ["app_rw", "reporting", "batch"];

const SCHEMA: &str = "
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE TABLE IF NOT EXISTS accounts (
    id serial PRIMARY KEY,
    balance int NOT NULL DEFAULT 0,
    owner text NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS orders (
    id serial PRIMARY KEY,
    account_id int NOT NULL REFERENCES accounts(id),
    amount int NOT NULL,
    status text NOT NULL DEFAULT 'new',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_account_id ON orders (account_id);
INSERT INTO accounts (balance, owner)
    SELECT (random() * 10000)::int, 'customer-' || g
    FROM generate_series(1, 10000) g
    WHERE NOT EXISTS (SELECT FROM accounts);
INSERT INTO orders (account_id, amount, status, created_at)
    SELECT 1 + (random() * 9999)::int, (random() * 500)::int,
           (ARRAY['new', 'paid', 'shipped', 'refunded'])[1 + (random() * 3)::int],
           now() - random() * interval '90 days'
    FROM generate_series(1, 100000)
    WHERE NOT EXISTS (SELECT FROM orders);
ANALYZE accounts;
ANALYZE orders;
GRANT SELECT, INSERT, UPDATE, DELETE ON accounts, orders TO app_rw, batch;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO app_rw, batch;
GRANT SELECT ON accounts, orders TO reporting;
GRANT UPDATE ON accounts TO reporting;
";

/// Creates roles, the `shop` database, its tables (10k accounts, 100k orders) and grants.
/// Safe to call again on the same cluster.
pub async fn setup(cluster: &Cluster) -> Result<(), LabError> {
    let admin = cluster
        .connect("postgres", "postgres", "pgscope-lab-setup")
        .await?;
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: tokio_postgres::Error| LabError::db(what, e)
    };
    for role in ROLES {
        let exists = admin
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&role])
            .await
            .map_err(fail("look up roles"))?;
        if exists.is_none() {
            admin
                .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
                .await
                .map_err(fail("create role"))?;
        }
    }
    let db_exists = admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&DB])
        .await
        .map_err(fail("look up databases"))?;
    if db_exists.is_none() {
        admin
            .batch_execute(&format!("CREATE DATABASE {DB}"))
            .await
            .map_err(fail("create database"))?;
    }
    // pg_stat_statements in `postgres` too: monitoring tools usually connect there.
    admin
        .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .await
        .map_err(fail("create extension"))?;
    let shop = cluster.connect(DB, "postgres", "pgscope-lab-setup").await?;
    shop.batch_execute(SCHEMA)
        .await
        .map_err(fail("create the shop schema"))
}
