-- 0004: views over comments, for SQL and Datasette users and for wparchive
-- itself: trackbacks and pingbacks per post, Akismet's verdicts and
-- history decoded, comment threads in reading order, and what each
-- commenter wrote. Views only, so they can change in later migrations
-- without touching stored rows. They use SQL that SQLite 3.31 (Ubuntu
-- 20.04's sqlite3, older Datasette builds) understands: no ORDER BY inside
-- aggregates, ordered subqueries instead; no e-mail or IP column.

-- One row per trackback or pingback: the post it links to and the linking
-- page (URL, domain, title, excerpt; see wxr-format.md §9). A trackback's
-- ping_title is the linking post's title and blog_name the sending blog's
-- name; a pingback has only the page title.
CREATE VIEW pings AS
SELECT c.id            AS comment_id,
       c.wp_id         AS comment_wp_id,
       p.site_id,
       p.id            AS post_id,
       p.wp_id         AS post_wp_id,
       p.title         AS post_title,
       p.link          AS post_link,
       c.kind,
       c.status,
       c.ping_title,
       CASE c.kind WHEN 'trackback' THEN c.author END AS blog_name,
       c.ping_url,
       c.ping_domain,
       c.ping_excerpt,
       c.date_at,
       c.date_raw
FROM comments c
JOIN posts p ON p.id = c.post_id
WHERE c.kind IN ('trackback', 'pingback');

-- One row per akismet_history meta row, decoded: the event
-- (check-ham, report-spam, status-approved …), when (ISO 8601 UTC; old
-- Akismet wrote the time as a string, so it is cast), by whom, and the
-- message of old versions. value_json is NULL where the value could not be
-- decoded; meta_value keeps the raw text.
CREATE VIEW akismet_events AS
SELECT m.comment_id,
       m.ord,
       json_extract(m.value_json, '$.event')   AS event,
       strftime('%Y-%m-%dT%H:%M:%SZ', CAST(json_extract(m.value_json, '$.time') AS REAL), 'unixepoch') AS time_at,
       json_extract(m.value_json, '$.user')    AS user,
       json_extract(m.value_json, '$.message') AS message,
       m.value_json,
       m.meta_value
FROM commentmeta m
WHERE m.meta_key = 'akismet_history' AND json_valid(m.value_json);

-- One row per comment with Akismet meta: the verdict (akismet_result:
-- true = spam, false = ham, error), a moderator's report
-- (akismet_user_result, akismet_user) and every akismet_history event as
-- a JSON array in file order. An event whose value is not decoded to JSON
-- is in the array as its raw string.
CREATE VIEW akismet AS
SELECT c.id       AS comment_id,
       c.wp_id    AS comment_wp_id,
       c.post_id,
       c.status,
       (SELECT m.meta_value FROM commentmeta m
         WHERE m.comment_id = c.id AND m.meta_key = 'akismet_result' ORDER BY m.ord LIMIT 1) AS result,
       (SELECT m.meta_value FROM commentmeta m
         WHERE m.comment_id = c.id AND m.meta_key = 'akismet_user_result' ORDER BY m.ord LIMIT 1) AS user_result,
       (SELECT m.meta_value FROM commentmeta m
         WHERE m.comment_id = c.id AND m.meta_key = 'akismet_user' ORDER BY m.ord LIMIT 1) AS user,
       (SELECT count(*) FROM commentmeta m
         WHERE m.comment_id = c.id AND m.meta_key = 'akismet_history') AS event_count,
       -- json() inside the aggregate, so each element is embedded as JSON
       -- and not as a quoted string (a subtype does not cross a subquery).
       (SELECT json_group_array(CASE WHEN json_valid(h.value_json) THEN json(h.value_json) ELSE h.meta_value END)
          FROM (SELECT m.value_json, m.meta_value FROM commentmeta m
                 WHERE m.comment_id = c.id AND m.meta_key = 'akismet_history' ORDER BY m.ord) h) AS events
FROM comments c
WHERE EXISTS (SELECT 1 FROM commentmeta m
               WHERE m.comment_id = c.id AND m.meta_key IN ('akismet_result', 'akismet_history', 'akismet_user_result'));

-- Every comment of every kind in reading order: ORDER BY post_id, sort_key
-- gives each thread depth first, siblings by date (UTC, then local), then
-- WordPress id, then file order, as `wparchive show` prints them. level is
-- the depth in that order (a reply whose parent is not in the export is
-- level 0 and has orphan = 1); root_id is the thread's first comment.
CREATE VIEW comment_threads AS
WITH RECURSIVE t(id, root_id, level, sort_key) AS (
    SELECT c.id, c.id, 0,
           printf('%-20s|%-19s|%012d|%012d', coalesce(c.date_at, ''), coalesce(c.date_raw, ''), coalesce(c.wp_id, 0), c.id)
    FROM comments c
    WHERE c.parent_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM comments q WHERE q.id = c.parent_id AND q.post_id = c.post_id)
    UNION ALL
    SELECT c.id, t.root_id, t.level + 1,
           t.sort_key || '/' || printf('%-20s|%-19s|%012d|%012d', coalesce(c.date_at, ''), coalesce(c.date_raw, ''), coalesce(c.wp_id, 0), c.id)
    FROM comments c
    JOIN t ON c.parent_id = t.id
    WHERE t.level < 10000 AND c.id != t.id
)
SELECT c.post_id,
       t.id      AS comment_id,
       c.wp_id   AS comment_wp_id,
       t.root_id,
       t.level,
       t.sort_key,
       c.parent_wp_id,
       c.orphan,
       c.kind,
       c.status,
       c.author,
       c.provider,
       c.commenter_id,
       c.date_at,
       c.date_raw,
       c.content
FROM t
JOIN comments c ON c.id = t.id;

-- One row per commenter with what they wrote: comments, posts commented
-- on, first and last comment (UTC), and which kinds and statuses.
CREATE VIEW commenter_activity AS
SELECT cm.id AS commenter_id,
       cm.site_id,
       cm.provider,
       cm.name,
       cm.url,
       cm.foreign_user_id,
       cm.user_id,
       count(c.id)                  AS comments,
       count(DISTINCT c.post_id)    AS posts,
       min(c.date_at)               AS first_at,
       max(c.date_at)               AS last_at,
       sum(c.status = 'approved')   AS approved
FROM commenters cm
LEFT JOIN comments c ON c.commenter_id = cm.id
GROUP BY cm.id;
