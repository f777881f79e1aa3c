package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
)

// maxArticleFiles bounds the files one article carries in all.
const maxArticleFiles = 30

// File is a file attached to an article (a form to fill in, a screenshot,
// a guide as PDF), checked like the help desk's (internal/upload). Whoever
// may read the article may download it.
type File struct {
	ID          int64     `json:"id"`
	ArticleID   int64     `json:"article_id"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// Path is where the file is downloaded.
func (f File) Path() string {
	return "/pengetahuan/" + strconv.FormatInt(f.ArticleID, 10) + "/berkas/" + strconv.FormatInt(f.ID, 10) + "/" +
		url.PathEscape(f.Name)
}

// SizeText words the file's size: 12 KB, 3 MB.
func (f File) SizeText() string { return upload.SizeText(f.Size) }

const fileSelect = `SELECT id, article_id, name, size, content_type, sha256, created_at FROM article_files`

func scanFile(row interface{ Scan(...any) error }) (File, error) {
	var f File
	err := row.Scan(&f.ID, &f.ArticleID, &f.Name, &f.Size, &f.ContentType, &f.SHA256, &f.CreatedAt)
	f.CreatedAt = f.CreatedAt.UTC()
	return f, err
}

// files lists an article's files in the order they were added.
func files(ctx context.Context, q db.Querier, id int64) ([]File, error) {
	rows, err := q.QueryContext(ctx, fileSelect+` WHERE article_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("knowledge: files: %w", err)
	}
	defer rows.Close()
	list := []File{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, fmt.Errorf("knowledge: files: %w", err)
		}
		list = append(list, f)
	}
	return list, rows.Err()
}

// AddFiles attaches files to an article the actor may edit. Each is
// checked (type from its bytes, size, count) before anything is stored;
// one refused file stores none.
func (s *Service) AddFiles(ctx context.Context, actor *policy.Actor, id int64, in []upload.File) ([]File, error) {
	var v errs.Validation
	if len(in) == 0 {
		v.Add("file", "required")
	}
	checked := upload.Check(&v, "file", in, s.files)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out []File
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.editable(ctx, tx, actor, id); err != nil {
			return err
		}
		have, err := files(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(have)+len(checked) > maxArticleFiles {
			return errs.FieldErr("file", "article.too_many_files", maxArticleFiles)
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		for _, c := range checked {
			f := File{ArticleID: id, Name: c.Name, Size: c.Size, ContentType: c.ContentType, SHA256: c.SHA256, CreatedAt: at}
			if f.ID, err = db.InsertID(ctx, tx, `INSERT INTO article_files (article_id, uploader_account_id, name, size,
				content_type, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				id, accountOf(actor), f.Name, f.Size, f.ContentType, f.SHA256, at); err != nil {
				return fmt.Errorf("knowledge: add file: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_file_data (file_id, content) VALUES ($1, $2)`, f.ID, c.Data); err != nil {
				return fmt.Errorf("knowledge: add file: %w", err)
			}
			if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "attach", Entity: "article", EntityID: id, After: f}); err != nil {
				return err
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// FileContent returns a file of an article the actor may read, with its
// bytes; a file of another article is NotFound.
func (s *Service) FileContent(ctx context.Context, actor *policy.Actor, articleID, id int64) (File, []byte, error) {
	if _, err := s.Get(ctx, actor, articleID); err != nil {
		return File{}, nil, err
	}
	f, err := scanFile(s.db.R.QueryRowContext(ctx, fileSelect+` WHERE id = $1 AND article_id = $2`, id, articleID))
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, nil, errs.New(errs.NotFound, "attach.not_found")
	}
	if err != nil {
		return File{}, nil, fmt.Errorf("knowledge: file: %w", err)
	}
	var data []byte
	if err := s.db.R.QueryRowContext(ctx, `SELECT content FROM article_file_data WHERE file_id = $1`, id).Scan(&data); err != nil {
		return File{}, nil, fmt.Errorf("knowledge: file content: %w", err)
	}
	return f, data, nil
}

// DeleteFile removes a file from an article the actor may edit.
func (s *Service) DeleteFile(ctx context.Context, actor *policy.Actor, articleID, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.editable(ctx, tx, actor, articleID); err != nil {
			return err
		}
		f, err := scanFile(tx.QueryRowContext(ctx, fileSelect+` WHERE id = $1 AND article_id = $2`, id, articleID))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.NotFound, "attach.not_found")
		}
		if err != nil {
			return fmt.Errorf("knowledge: file: %w", err)
		}
		for _, stmt := range []string{`DELETE FROM article_file_data WHERE file_id = $1`, `DELETE FROM article_files WHERE id = $1`} {
			if _, err := tx.ExecContext(ctx, stmt, id); err != nil {
				return fmt.Errorf("knowledge: delete file: %w", err)
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "detach", Entity: "article", EntityID: articleID, Before: f})
	})
}
