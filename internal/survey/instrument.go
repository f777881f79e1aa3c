package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
)

// Instrument is a questionnaire: its items and the answer scale.
type Instrument struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Title       string `json:"title"`
	Description string `json:"description"`
	ScaleMin    int    `json:"scale_min"`
	ScaleMax    int    `json:"scale_max"`
	Builtin     bool   `json:"builtin"`
	Items       []Item `json:"items"`
}

// Item is one statement of an instrument.
type Item struct {
	ID        int64  `json:"id"`
	Position  int    `json:"position"`
	Dimension string `json:"dimension"`
	Section   string `json:"section"`
	TextID    string `json:"text_id"`
	TextEN    string `json:"text_en"`
}

// Text is the item's statement in lang, Indonesian when it has no English.
func (i Item) Text(lang string) string {
	if lang == "en" && i.TextEN != "" {
		return i.TextEN
	}
	return i.TextID
}

// DimensionName is the item's dimension as readers see it: the LO
// dimension's name, or an admin's dimension as written.
func (i Item) DimensionName(lang string) string { return i18n.Label(lang, "lo.dim.", i.Dimension) }

// InstrumentInput is a new instrument as an admin builds it.
type InstrumentInput struct {
	Code        string      `json:"code"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	ScaleMin    int         `json:"scale_min"`
	ScaleMax    int         `json:"scale_max"`
	Items       []ItemInput `json:"items"`
}

// ItemInput is one item of a new instrument.
type ItemInput struct {
	Dimension string `json:"dimension"`
	Section   string `json:"section"`
	TextID    string `json:"text_id"`
	TextEN    string `json:"text_en"`
}

// MaxItems bounds an instrument's length: a longer questionnaire is not
// answered, and one response stays one small row set.
const MaxItems = 100

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

func (in *InstrumentInput) validate() error {
	var v errs.Validation
	in.Code, in.Title = strings.TrimSpace(in.Code), strings.TrimSpace(in.Title)
	if !codePattern.MatchString(in.Code) {
		v.Add("code", "survey.code")
	}
	if in.Title == "" || len(in.Title) > 200 {
		v.Add("title", "survey.title")
	}
	if in.ScaleMin == 0 && in.ScaleMax == 0 {
		in.ScaleMin, in.ScaleMax = 1, 6
	}
	// At most 100: the results' sums of squares stay far inside 64 bits.
	if in.ScaleMin < 0 || in.ScaleMax <= in.ScaleMin || in.ScaleMax-in.ScaleMin > 10 || in.ScaleMax > 100 {
		v.Add("scale_max", "survey.scale")
	}
	if len(in.Items) == 0 || len(in.Items) > MaxItems {
		v.Add("items", "survey.items")
	}
	for i := range in.Items {
		it := &in.Items[i]
		it.Dimension, it.TextID = strings.TrimSpace(it.Dimension), strings.TrimSpace(it.TextID)
		it.Section, it.TextEN = strings.TrimSpace(it.Section), strings.TrimSpace(it.TextEN)
		if it.Dimension == "" || len(it.Dimension) > 60 || it.TextID == "" || len(it.TextID) > 500 {
			v.Add("items", "survey.item")
			break
		}
	}
	return v.Err()
}

// EnsureLO makes the built-in LO instrument if it is missing and returns
// its id. It runs when the server starts and in the demo; it never changes
// an instrument that exists.
func EnsureLO(ctx context.Context, d *db.DB) (int64, error) {
	var id int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM survey_instruments WHERE code = $1`, LOInstrument).Scan(&id)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		in := InstrumentInput{Code: LOInstrument, Title: "Survei organisasi pembelajar",
			Description: "Tujuh dimensi organisasi pembelajar (Watkins & Marsick), tiga pernyataan per dimensi.",
			ScaleMin:    1, ScaleMax: 6}
		for _, it := range loItems {
			in.Items = append(in.Items, ItemInput{Dimension: it.dim, TextID: it.id, TextEN: it.en})
		}
		id, err = insertInstrument(ctx, tx, in, true, nil)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("survey: LO instrument: %w", err)
	}
	return id, nil
}

// DefaultsJob ensures the LO instrument (a fresh install has it on its
// first start).
func (s *Service) DefaultsJob(ctx context.Context, _ time.Time) error {
	_, err := EnsureLO(ctx, s.db)
	return err
}

// CreateInstrument builds a new instrument (SurveyManage).
func (s *Service) CreateInstrument(ctx context.Context, actor *policy.Actor, in InstrumentInput) (Instrument, error) {
	if err := policy.Check(actor, policy.SurveyManage, policy.Target{}); err != nil {
		return Instrument{}, err
	}
	if err := in.validate(); err != nil {
		return Instrument{}, err
	}
	var out Instrument
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var by any
		if actor.AccountID != 0 {
			by = actor.AccountID
		}
		id, err := insertInstrument(ctx, tx, in, false, by)
		if err != nil {
			if col, ok := s.db.Dialect.UniqueViolation(err); ok && strings.Contains(col, "code") {
				return errs.FieldErr("code", "survey.code_taken")
			}
			return err
		}
		if out, err = instrumentByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "survey_instrument", EntityID: id, After: out})
	})
	return out, err
}

func insertInstrument(ctx context.Context, tx *sql.Tx, in InstrumentInput, builtin bool, by any) (int64, error) {
	now := time.Now().UTC()
	id, err := db.InsertID(ctx, tx, `INSERT INTO survey_instruments (code, title, description, scale_min, scale_max,
		builtin, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		in.Code, in.Title, in.Description, in.ScaleMin, in.ScaleMax, builtin, by, now)
	if err != nil {
		return 0, err
	}
	for i, it := range in.Items {
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_items (instrument_id, position, dimension, section, text_id, text_en)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, i+1, it.Dimension, it.Section, it.TextID, it.TextEN); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// Instruments lists every instrument with its items (SurveyManage).
func (s *Service) Instruments(ctx context.Context, actor *policy.Actor) ([]Instrument, error) {
	if err := policy.Check(actor, policy.SurveyManage, policy.Target{}); err != nil {
		return nil, err
	}
	ids, err := db.IDs(ctx, s.db.R, `SELECT id FROM survey_instruments ORDER BY builtin DESC, title, id`)
	if err != nil {
		return nil, fmt.Errorf("survey: instruments: %w", err)
	}
	out := make([]Instrument, 0, len(ids))
	for _, id := range ids { // a handful of instruments; each read is two small queries
		in, err := instrumentByID(ctx, s.db.R, id)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func instrumentByID(ctx context.Context, q db.Querier, id int64) (Instrument, error) {
	var in Instrument
	err := q.QueryRowContext(ctx, `SELECT id, code, title, description, scale_min, scale_max, builtin
		FROM survey_instruments WHERE id = $1`, id).Scan(&in.ID, &in.Code, &in.Title, &in.Description,
		&in.ScaleMin, &in.ScaleMax, &in.Builtin)
	if errors.Is(err, sql.ErrNoRows) {
		return in, errs.New(errs.NotFound, "survey.instrument_not_found")
	}
	if err != nil {
		return in, fmt.Errorf("survey: instrument %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, position, dimension, section, text_id, text_en
		FROM survey_items WHERE instrument_id = $1 ORDER BY position`, id)
	if err != nil {
		return in, fmt.Errorf("survey: items: %w", err)
	}
	defer rows.Close()
	in.Items = []Item{}
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Position, &it.Dimension, &it.Section, &it.TextID, &it.TextEN); err != nil {
			return in, fmt.Errorf("survey: items: %w", err)
		}
		in.Items = append(in.Items, it)
	}
	return in, rows.Err()
}

// dimensions lists an instrument's dimensions in the order of their first
// item.
func (in Instrument) dimensions() []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range in.Items {
		if !seen[it.Dimension] {
			seen[it.Dimension] = true
			out = append(out, it.Dimension)
		}
	}
	return out
}
