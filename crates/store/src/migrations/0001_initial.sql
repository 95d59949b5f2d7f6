-- Version 1 of the library schema. Never edit this file once released:
-- add a new migration instead (see docs/storage.md).

CREATE TABLE folders (
    id         TEXT    PRIMARY KEY NOT NULL,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE boards (
    id         TEXT    PRIMARY KEY NOT NULL,
    title      TEXT    NOT NULL,
    folder_id  TEXT    REFERENCES folders (id) ON DELETE RESTRICT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    deleted_at INTEGER
) STRICT;

CREATE INDEX boards_by_folder ON boards (folder_id);

-- The update log. seq is library-wide and never reused (AUTOINCREMENT), so
-- "every row of a board with seq <= n" is a stable set once n was read.
CREATE TABLE updates (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT    NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    data     BLOB    NOT NULL
) STRICT;

CREATE INDEX updates_by_board ON updates (board_id, seq);

-- At most one compacted state per board; it covers every log row of the
-- board with seq <= upto_seq that is no longer in the log.
CREATE TABLE snapshots (
    board_id   TEXT    PRIMARY KEY NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    upto_seq   INTEGER NOT NULL,
    state      BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE revisions (
    id         TEXT    PRIMARY KEY NOT NULL,
    board_id   TEXT    NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    state      BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX revisions_by_board ON revisions (board_id, created_at);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
