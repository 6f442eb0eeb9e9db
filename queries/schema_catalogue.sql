-- Catalogue tables: recreated from data/ by every build.
CREATE TABLE region (
    region_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, level VARCHAR, parent_code VARCHAR,
    province VARCHAR, longitude DOUBLE, latitude DOUBLE, is_seed BOOLEAN,
    level_rank INTEGER, province_code VARCHAR, city_code VARCHAR  -- 1 省 2 市 3 县级; own code at own level
);
CREATE TABLE domain (domain VARCHAR PRIMARY KEY, sort_order INTEGER, description VARCHAR);
CREATE TABLE canonical_indicator (
    canonical_id VARCHAR PRIMARY KEY, name VARCHAR, unit VARCHAR, direction VARCHAR, note VARCHAR
);
CREATE TABLE plan (
    plan_id VARCHAR PRIMARY KEY, region_code VARCHAR, plan_group VARCHAR, title VARCHAR,
    period_start INTEGER, period_end INTEGER, target_year INTEGER, issuing_document VARCHAR,
    source_file VARCHAR, title_line INTEGER, title_quote VARCHAR
);
CREATE TABLE indicator (
    indicator_id VARCHAR PRIMARY KEY, plan_id VARCHAR NOT NULL, is_key BOOLEAN, domain_raw VARCHAR,
    domain VARCHAR, name VARCHAR, unit VARCHAR, direction VARCHAR,
    baseline_year INTEGER, baseline_value DOUBLE, baseline_line INTEGER, baseline_quote VARCHAR,
    target_op VARCHAR, target_value DOUBLE, target_text VARCHAR, target_year INTEGER,
    target_line INTEGER, target_quote VARCHAR, name_line INTEGER, canonical_id VARCHAR, note VARCHAR
);
CREATE TABLE unit (unit_id VARCHAR PRIMARY KEY, region_code VARCHAR, name VARCHAR);
CREATE TABLE unit_alias (region_code VARCHAR, alias VARCHAR, name VARCHAR);
CREATE TABLE indicator_unit (
    indicator_id VARCHAR, plan_id VARCHAR, unit_id VARCHAR, unit_as_written VARCHAR, position INTEGER,
    role VARCHAR, provenance VARCHAR, line INTEGER, quote VARCHAR
);
CREATE TABLE reference_value (
    region VARCHAR, indicator VARCHAR, year INTEGER, value DOUBLE, unit VARCHAR, url VARCHAR, snippet VARCHAR,
    definition_match VARCHAR, serves VARCHAR, level VARCHAR, note VARCHAR
);
CREATE TABLE reference_link (region VARCHAR, indicator VARCHAR, canonical_id VARCHAR, match_note VARCHAR);
CREATE TABLE method_threshold (key VARCHAR PRIMARY KEY, value DOUBLE, label VARCHAR, description VARCHAR);
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
