package competency

import (
	"context"
	"fmt"
)

// Article is a published knowledge article that teaches a competency.
type Article struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// Articles returns the published knowledge articles linked to the
// competency's code, most recently updated first.
func (s *Service) Articles(ctx context.Context, code string) ([]Article, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT a.id, a.title FROM article_competencies k JOIN articles a ON a.id = k.article_id
		WHERE k.code = $1 AND a.status = 'published' ORDER BY a.updated_at DESC, a.id DESC LIMIT 50`, code)
	if err != nil {
		return nil, fmt.Errorf("competency articles: %w", err)
	}
	defer rows.Close()
	list := []Article{}
	for rows.Next() {
		var a Article
		if err := rows.Scan(&a.ID, &a.Title); err != nil {
			return nil, fmt.Errorf("competency articles: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}
