package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
)

const regulationCols = `r.id, r.kind, r.number, r.title, r.agency_id, COALESCE(g.name, ''), r.signed_on,
	r.in_force_from, r.in_force_until, r.summary, r.status, r.revoked_at, r.updated_at
	FROM regulations r LEFT JOIN agencies g ON g.id = r.agency_id`

// inForceAt is the condition of a regulation in force at $n (the moment)
// given $m, the moment a day earlier: until is the last day in force.
func inForceAt(n, m int) string {
	return fmt.Sprintf(`r.status = 'in_force' AND r.in_force_from <= $%d AND (r.in_force_until IS NULL OR r.in_force_until > $%d)`, n, m)
}

func scanRegulations(ctx context.Context, q db.Querier, rows *sql.Rows, at time.Time) ([]Regulation, error) {
	var out []Regulation
	for rows.Next() {
		var r Regulation
		var agency sql.NullInt64
		var until, revoked sql.NullTime
		if err := rows.Scan(&r.ID, &r.Kind, &r.Number, &r.Title, &agency, &r.AgencyName, &r.SignedOn,
			&r.InForceFrom, &until, &r.Summary, &r.Status, &revoked, &r.UpdatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("leadership: regulations: %w", err)
		}
		r.AgencyID = idOf(agency)
		r.SignedOn, r.InForceFrom, r.UpdatedAt = r.SignedOn.UTC(), r.InForceFrom.UTC(), r.UpdatedAt.UTC()
		if until.Valid {
			u := until.Time.UTC()
			r.InForceUntil = &u
		}
		if revoked.Valid {
			t := revoked.Time.UTC()
			r.RevokedAt = &t
		}
		r.InForceNow = r.Status == InForce && !r.InForceFrom.After(at) &&
			(r.InForceUntil == nil || r.InForceUntil.After(at.Add(-24*time.Hour)))
		r.Obligations, r.Files = []Obligation{}, []File{}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, attach(ctx, q, out)
}

// attach loads the obligations and files of the regulations in one query each.
func attach(ctx context.Context, q db.Querier, list []Regulation) error {
	if len(list) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(list))
	for i, r := range list {
		at[r.ID], ids[i] = i, r.ID
	}
	in, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT o.regulation_id, o.text, COALESCE(o.competency_id, 0), COALESCE(c.code, ''),
		COALESCE(o.jp, 0), COALESCE(o.app_id, 0), COALESCE(a.slug, ''), COALESCE(a.name, '')
		FROM regulation_obligations o LEFT JOIN competencies c ON c.id = o.competency_id LEFT JOIN apps a ON a.id = o.app_id
		WHERE o.regulation_id IN (`+in+`) ORDER BY o.regulation_id, o.position`, args...)
	if err != nil {
		return fmt.Errorf("leadership: obligations: %w", err)
	}
	for rows.Next() {
		var id int64
		var o Obligation
		if err := rows.Scan(&id, &o.Text, &o.CompetencyID, &o.CompetencyCode, &o.JP, &o.AppID, &o.AppSlug, &o.AppName); err != nil {
			rows.Close()
			return err
		}
		list[at[id]].Obligations = append(list[at[id]].Obligations, o)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT regulation_id, id, name, size, content_type, created_at
		FROM regulation_files WHERE regulation_id IN (`+in+`) ORDER BY regulation_id, id`, args...)
	if err != nil {
		return fmt.Errorf("leadership: files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f File
		if err := rows.Scan(&id, &f.ID, &f.Name, &f.Size, &f.ContentType, &f.CreatedAt); err != nil {
			return err
		}
		f.CreatedAt = f.CreatedAt.UTC()
		list[at[id]].Files = append(list[at[id]].Files, f)
	}
	return rows.Err()
}

// Regulation returns one regulation; everyone signed in reads the registry.
func (s *Service) Regulation(ctx context.Context, actor *policy.Actor, id int64) (Regulation, error) {
	if err := signedIn(actor); err != nil {
		return Regulation{}, err
	}
	return regulation(ctx, s.db.R, id)
}

// regulation loads one regulation through q, a transaction's when it is
// about to change.
func regulation(ctx context.Context, q db.Querier, id int64) (Regulation, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+regulationCols+` WHERE r.id = $1`, id)
	if err != nil {
		return Regulation{}, fmt.Errorf("leadership: regulation %d: %w", id, err)
	}
	list, err := scanRegulations(ctx, q, rows, now())
	if err != nil {
		return Regulation{}, err
	}
	if len(list) == 0 {
		return Regulation{}, errs.New(errs.NotFound, "leadership.regulation_not_found")
	}
	return list[0], nil
}

// Regulations lists the registry, newest signed first, a page at a time.
func (s *Service) Regulations(ctx context.Context, actor *policy.Actor, f RegulationFilter, p db.Page) ([]Regulation, string, error) {
	if err := signedIn(actor); err != nil {
		return nil, "", err
	}
	var v errs.Validation
	if f.Kind != "" && !slices.Contains(RegulationKinds, f.Kind) {
		v.Add("kind", "one_of", strings.Join(RegulationKinds, ", "))
	}
	if f.Status != "" && f.Status != InForce && f.Status != Revoked {
		v.Add("status", "one_of", InForce+", "+Revoked)
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if q := strings.TrimSpace(f.Q); q != "" {
		e := arg(db.EscapeLike(q))
		where = append(where, "("+s.db.Dialect.ContainsFold("r.number", e)+" OR "+s.db.Dialect.ContainsFold("r.title", e)+")")
	}
	if f.Kind != "" {
		where = append(where, "r.kind = "+arg(f.Kind))
	}
	if f.Status != "" {
		where = append(where, "r.status = "+arg(f.Status))
	}
	if f.AgencyID != nil {
		where = append(where, "COALESCE(r.agency_id, 0) = "+arg(*f.AgencyID))
	}
	if f.InForce {
		at := now()
		arg(at)
		arg(at.Add(-24 * time.Hour))
		where = append(where, inForceAt(len(args)-1, len(args)))
	}
	if p.After != "" {
		var signed time.Time
		var id int64
		if err := db.ParseCursor(p.After, &signed, &id); err != nil {
			return nil, "", err
		}
		s1, i1 := arg(signed), arg(id)
		where = append(where, fmt.Sprintf("(r.signed_on < %s OR (r.signed_on = %s AND r.id < %s))", s1, s1, i1))
	}
	query := `SELECT ` + regulationCols
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY r.signed_on DESC, r.id DESC LIMIT %d", p.Size()+1)
	rows, err := s.db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("leadership: regulations: %w", err)
	}
	list, err := scanRegulations(ctx, s.db.R, rows, now())
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.SignedOn, last.ID)
	}
	return list, next, nil
}

// RegulationsInForce lists the regulations in force at a moment, with what
// they require: the policies an SPBE evidence pack names.
func RegulationsInForce(ctx context.Context, q db.Querier, at time.Time) ([]Regulation, error) {
	at = at.UTC()
	rows, err := q.QueryContext(ctx, `SELECT `+regulationCols+` WHERE `+inForceAt(1, 2)+`
		ORDER BY r.signed_on DESC, r.id DESC`, at, at.Add(-24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("leadership: regulations in force: %w", err)
	}
	return scanRegulations(ctx, q, rows, at)
}

// AddFiles attaches documents to a regulation.
func (s *Service) AddFiles(ctx context.Context, actor *policy.Actor, id int64, files []upload.File) (Regulation, error) {
	r, err := s.Regulation(ctx, actor, id)
	if err != nil {
		return Regulation{}, err
	}
	if err := policy.Check(actor, policy.RegulationManage, policy.Target{AgencyID: r.AgencyID}); err != nil {
		return Regulation{}, err
	}
	var v errs.Validation
	if len(files) == 0 {
		v.Add("files", "required")
	}
	checked := upload.Check(&v, "files", files, s.files)
	if err := v.Err(); err != nil {
		return Regulation{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, f := range checked {
			fid, err := db.InsertID(ctx, tx, `INSERT INTO regulation_files (regulation_id, name, size, content_type,
				sha256, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				id, f.Name, f.Size, f.ContentType, f.SHA256, nullID(actor.AccountID), now())
			if err != nil {
				return fmt.Errorf("leadership: file of %d: %w", id, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO regulation_file_data (file_id, content) VALUES ($1, $2)`,
				fid, f.Data); err != nil {
				return fmt.Errorf("leadership: file data of %d: %w", id, err)
			}
			if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "attach", Entity: "regulation", EntityID: id,
				AgencyID: r.AgencyID, After: map[string]any{"file": f.Name, "size": len(f.Data)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Regulation{}, err
	}
	return s.Regulation(ctx, actor, id)
}

// FileContent returns a document of a regulation and its bytes.
func (s *Service) FileContent(ctx context.Context, actor *policy.Actor, regID, fileID int64) (File, string, []byte, error) {
	if err := signedIn(actor); err != nil {
		return File{}, "", nil, err
	}
	var f File
	var sum string
	var data []byte
	err := s.db.R.QueryRowContext(ctx, `SELECT f.id, f.name, f.size, f.content_type, f.created_at, f.sha256, d.content
		FROM regulation_files f JOIN regulation_file_data d ON d.file_id = f.id
		WHERE f.id = $1 AND f.regulation_id = $2`, fileID, regID).
		Scan(&f.ID, &f.Name, &f.Size, &f.ContentType, &f.CreatedAt, &sum, &data)
	if err == sql.ErrNoRows {
		return File{}, "", nil, errs.New(errs.NotFound, "leadership.file_not_found")
	}
	if err != nil {
		return File{}, "", nil, fmt.Errorf("leadership: file %d: %w", fileID, err)
	}
	return f, sum, data, nil
}
