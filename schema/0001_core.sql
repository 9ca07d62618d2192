-- 0001: the core of the archive: sites, authors, terms, posts, comments and
-- their meta, plus the _imports log. Raw columns hold what the export said
-- (after XML decoding); derived columns sit beside them.
--
-- Row identity: WordPress IDs are not unique across sites, and real exports
-- repeat wp:post_id inside one file (the theme unit test data does 18 times),
-- so every table has its own INTEGER PRIMARY KEY and keeps the WordPress ID
-- in wp_id. An item is identified by (site, wp_key, dup_ordinal): wp_key is
-- the exported post_id text ('' when absent) and dup_ordinal counts earlier
-- items with the same wp_key in the same export, so re-importing a file finds
-- every row again and no repeated id merges two items.

CREATE TABLE sites (
    id               INTEGER PRIMARY KEY,
    site_key         TEXT NOT NULL UNIQUE,   -- normalised base blog URL (or link, or file name)
    title            TEXT,
    link             TEXT,
    description      TEXT,
    language         TEXT,
    pub_date_raw     TEXT,
    wxr_version      TEXT,
    base_site_url    TEXT,
    base_blog_url    TEXT,
    generator        TEXT,
    extra_json       TEXT,                   -- channel elements with no column, as JSON
    first_import_id  INTEGER,
    last_import_id   INTEGER
);

CREATE TABLE _imports (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    sources       TEXT NOT NULL,             -- JSON array of {name, bytes, sha256}
    sha256        TEXT NOT NULL,             -- over all sources, in order
    bytes         INTEGER NOT NULL,
    site_id       INTEGER REFERENCES sites(id),
    counts_json   TEXT,                      -- the summary's counts
    repairs_json  TEXT,                      -- repairs of broken input, by kind
    warnings_json TEXT,
    options_json  TEXT
);

CREATE TABLE authors (
    id            INTEGER PRIMARY KEY,
    site_id       INTEGER NOT NULL REFERENCES sites(id),
    wp_id         INTEGER,
    wp_id_raw     TEXT,
    login         TEXT NOT NULL,
    email         TEXT,
    display_name  TEXT,
    first_name    TEXT,
    last_name     TEXT,
    extra_json    TEXT,
    UNIQUE (site_id, login)
);

CREATE TABLE terms (
    id             INTEGER PRIMARY KEY,
    site_id        INTEGER NOT NULL REFERENCES sites(id),
    taxonomy       TEXT NOT NULL,            -- category, post_tag (WXR 1.0 "tag" mapped), custom
    slug           TEXT NOT NULL,            -- raw, percent-encoded as exported
    slug_decoded   TEXT,
    wp_id          INTEGER,
    name_raw       TEXT,                     -- as exported (often HTML-escaped)
    name           TEXT,                     -- HTML-unescaped display name
    description    TEXT,
    parent_slug    TEXT,
    parent_id      INTEGER REFERENCES terms(id),
    element        TEXT,                     -- channel elements that defined it (category, tag, term, comma-separated); item when only seen on items
    extra_json     TEXT,
    UNIQUE (site_id, taxonomy, slug)
);

CREATE TABLE termmeta (
    id          INTEGER PRIMARY KEY,
    term_id     INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    meta_key    TEXT NOT NULL,
    meta_value  TEXT,
    value_json  TEXT,                        -- PHP serialize() decoded to JSON, NULL if not serialized
    UNIQUE (term_id, ord)
);

CREATE TABLE posts (
    id                 INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites(id),
    wp_key             TEXT NOT NULL,
    dup_ordinal        INTEGER NOT NULL DEFAULT 0,
    wp_id              INTEGER,
    post_type          TEXT,
    status             TEXT,
    title              TEXT,
    link               TEXT,
    pub_date_raw       TEXT,
    creator            TEXT,                 -- dc:creator (author login), verbatim
    author_id          INTEGER REFERENCES authors(id),
    guid               TEXT,
    guid_is_permalink  TEXT,
    description        TEXT,
    content            TEXT,
    excerpt            TEXT,
    date_raw           TEXT,
    date_gmt_raw       TEXT,
    date_at            TEXT,                 -- ISO 8601 UTC; NULL for 0000-00-00 dates
    modified_raw       TEXT,
    modified_gmt_raw   TEXT,
    modified_at        TEXT,
    comment_status     TEXT,
    ping_status        TEXT,
    slug               TEXT,                 -- raw, percent-encoded
    slug_decoded       TEXT,
    parent_raw         TEXT,
    parent_wp_id       INTEGER,
    parent_id          INTEGER REFERENCES posts(id),
    menu_order         INTEGER,
    password           TEXT,
    is_sticky          INTEGER,
    attachment_url     TEXT,
    extra_json         TEXT,
    lang               TEXT,                 -- main language of the post
    text               TEXT,                 -- content with HTML stripped, CJK separated by U+200B for the index
    search_title       TEXT,                 -- title prepared the same way
    content_normalized TEXT,                 -- content with lang attributes on foreign passages
    source_file        TEXT,
    source_line        INTEGER,
    raw_hash           BLOB,                 -- hash of the item's bytes; unchanged items are skipped
    first_import_id    INTEGER,
    last_import_id     INTEGER,
    UNIQUE (site_id, wp_key, dup_ordinal)
);
CREATE INDEX posts_type_status ON posts (site_id, post_type, status);
CREATE INDEX posts_slug ON posts (slug);
CREATE INDEX posts_parent ON posts (parent_id);
-- Parents are resolved by (site, wp_id) when an import commits.
CREATE INDEX posts_wp_id ON posts (site_id, wp_id);

CREATE TABLE post_terms (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    term_id   INTEGER REFERENCES terms(id),
    domain    TEXT,                          -- raw domain attribute
    nicename  TEXT,
    name      TEXT,
    PRIMARY KEY (post_id, ord)
);
CREATE INDEX post_terms_term ON post_terms (term_id);

CREATE TABLE postmeta (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    meta_key    TEXT NOT NULL,
    meta_value  TEXT,
    value_json  TEXT,
    UNIQUE (post_id, ord)
);
CREATE INDEX postmeta_key ON postmeta (meta_key);

CREATE TABLE commenters (
    id               INTEGER PRIMARY KEY,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    identity_key     TEXT NOT NULL,
    provider         TEXT NOT NULL,
    name             TEXT,
    email            TEXT,                   -- a salted hash instead with import --redact
    url              TEXT,
    avatar           TEXT,
    foreign_user_id  TEXT,
    wpcom_signed     INTEGER NOT NULL DEFAULT 0,
    user_id          INTEGER,
    UNIQUE (site_id, identity_key)
);

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    post_id        INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    wp_key         TEXT NOT NULL,
    dup_ordinal    INTEGER NOT NULL DEFAULT 0,
    wp_id          INTEGER,
    author         TEXT,
    author_email   TEXT,
    author_url     TEXT,
    author_ip      TEXT,
    date_raw       TEXT,
    date_gmt_raw   TEXT,
    date_at        TEXT,
    content        TEXT,
    approved_raw   TEXT,
    status         TEXT,                     -- approved, pending, spam, trash, post-trashed, or raw
    type_raw       TEXT,
    kind           TEXT,                     -- comment, trackback, pingback, or the plugin's type
    parent_raw     TEXT,
    parent_wp_id   INTEGER,
    parent_id      INTEGER REFERENCES comments(id),
    depth          INTEGER NOT NULL DEFAULT 0,
    orphan         INTEGER NOT NULL DEFAULT 0, -- parent_wp_id set but not in the export
    user_id        INTEGER,
    commenter_id   INTEGER REFERENCES commenters(id),
    provider       TEXT,                     -- sign-in provider (hc_post_as …) or guest
    text           TEXT,                     -- content with HTML stripped, prepared for the index
    ping_url       TEXT,                     -- trackbacks and pingbacks: the linking page
    ping_domain    TEXT,
    ping_title     TEXT,
    ping_excerpt   TEXT,
    extra_json     TEXT,
    UNIQUE (post_id, wp_key, dup_ordinal)
);
CREATE INDEX comments_kind ON comments (kind, status);
-- Deleting a comment (a changed post's comments are replaced) makes SQLite
-- look for replies that reference it; without this index that is a scan of
-- every comment per deleted row.
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_commenter ON comments (commenter_id);

CREATE TABLE commentmeta (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    meta_key    TEXT NOT NULL,
    meta_value  TEXT,
    value_json  TEXT,
    UNIQUE (comment_id, ord)
);
CREATE INDEX commentmeta_key ON commentmeta (meta_key);

CREATE TABLE quotes (
    id               INTEGER PRIMARY KEY,
    post_id          INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    ord              INTEGER NOT NULL,
    kind             TEXT NOT NULL,          -- block or inline
    tag              TEXT,                   -- p, blockquote, li, h2, td …
    lang             TEXT,
    script           TEXT,
    raw              TEXT NOT NULL,
    normalized       TEXT NOT NULL,
    search_text      TEXT,                   -- normalized, prepared for the index
    translation_ord  INTEGER,                -- ord of the paired block (in post order), NULL if unpaired
    translation      TEXT,
    repeat_of_ord    INTEGER,
    fixes_json       TEXT,                   -- normalisation rule -> count
    UNIQUE (post_id, ord)
);
CREATE INDEX quotes_lang ON quotes (lang);
