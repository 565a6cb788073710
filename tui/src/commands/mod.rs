//! One module per subcommand.

pub mod check;
pub mod db;
pub mod db_inventory;
pub mod db_record;
pub mod drill;
pub mod evaluate;
pub mod export;
pub mod forecast;
pub mod identify;
pub mod import;
pub mod join;
pub mod optimise;
pub mod plan;
pub mod replay;
pub mod run;
pub mod seat;
pub mod validate;
