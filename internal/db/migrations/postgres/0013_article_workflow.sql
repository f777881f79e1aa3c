-- Articles take the knowledge base's vocabulary: the review status is
-- 'review' (as the API names it), an article can come from a discussion
-- thread or a meeting's notes as well as a ticket, and every save bumps its
-- version (what an editor's If-Match / version check compares). Keep in step
-- with ../sqlite/0013_article_workflow.sql.

ALTER TABLE articles DROP CONSTRAINT articles_status_check;
ALTER TABLE articles DROP CONSTRAINT articles_origin_kind_check;
UPDATE articles SET status = 'review' WHERE status = 'in_review';
ALTER TABLE articles ADD CONSTRAINT articles_status_check CHECK (status IN ('draft','review','published'));
ALTER TABLE articles ADD CONSTRAINT articles_origin_kind_check CHECK (origin_kind IN ('ticket','thread','meeting'));
ALTER TABLE articles ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version > 0);
