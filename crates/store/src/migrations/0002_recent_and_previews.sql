-- Version 2: what the start screen shows of recently opened boards.
-- Never edit this file once released: add a new migration instead.

ALTER TABLE boards ADD COLUMN opened_at INTEGER;

CREATE INDEX boards_by_opened ON boards (opened_at);

-- A small picture of each board (SVG text made from the items' geometry),
-- so that the start screen needs no board document to draw it.
CREATE TABLE previews (
    board_id   TEXT    PRIMARY KEY NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    svg        TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
