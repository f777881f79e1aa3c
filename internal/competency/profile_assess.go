package competency

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
)

// AssessmentInput is an entry added to a person's profile: their own
// self-assessment when it is their profile, otherwise a verification by
// their direct supervisor or a trainer (source "test" records a passed
// test with its score).
type AssessmentInput struct {
	CompetencyID int64      `json:"competency_id,omitempty"`
	Code         string     `json:"code,omitempty"` // instead of competency_id
	Level        int        `json:"level"`
	Source       string     `json:"source,omitempty"` // self, trainer, supervisor, test; empty: from who is acting
	EvidenceKind string     `json:"evidence_kind,omitempty"`
	EvidenceRef  string     `json:"evidence_ref,omitempty"`
	Score        *int       `json:"score,omitempty"`
	Note         string     `json:"note,omitempty"`
	AssessedAt   *time.Time `json:"assessed_at,omitempty"` // when the level was shown; default now
	// File is an evidence document uploaded with the form (not in JSON).
	File *upload.File `json:"-"`
}

// Limits of an entry's texts.
const (
	maxEvidenceRef = 500
	maxAssessNote  = 1000
)

// Assess adds an entry to a person's profile, in one transaction with its
// audit record; a verification tells the person.
func (s *Service) Assess(ctx context.Context, actor *policy.Actor, employeeID int64, in AssessmentInput) (Assessment, error) {
	var out Assessment
	var file *upload.Checked
	if in.File != nil {
		var v errs.Validation
		if checked := upload.Check(&v, "file", []upload.File{*in.File}, s.FileLimits()); len(checked) == 1 {
			file = &checked[0]
			if in.EvidenceKind == "" {
				in.EvidenceKind = "document"
			}
			if in.EvidenceRef == "" {
				in.EvidenceRef = file.Name
			}
		}
		if err := v.Err(); err != nil {
			return out, err
		}
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := loadPerson(ctx, tx, employeeID)
		if err != nil {
			return err
		}
		t := targetOf(actor, p)
		source, err := sourceFor(actor, t, in.Source)
		if err != nil {
			return err
		}
		if !p.Active {
			return errs.New(errs.Conflict, "competency.person_inactive")
		}
		c, err := s.assessedCompetency(ctx, tx, in)
		if err != nil {
			return err
		}
		at, err := checkAssessment(in, source)
		if err != nil {
			return err
		}
		e := Evidence{EmployeeID: p.ID, CompetencyID: c.ID, Level: in.Level, Source: source, EvidenceKind: in.EvidenceKind,
			EvidenceRef: in.EvidenceRef, Score: in.Score, Note: in.Note, At: at}
		if source != SourceSelf {
			e.AssessorID = actor.AccountID
		}
		id, err := recordEvidence(ctx, tx, e)
		if err != nil {
			return err
		}
		out, err = scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessmentFields+assessmentFrom+` WHERE a.id = $1`, id))
		if err != nil {
			return fmt.Errorf("assessment of %d: %w", p.ID, err)
		}
		if file != nil {
			id, err := db.InsertID(ctx, tx, `INSERT INTO competency_evidence_files (assessment_id, name, size, content_type,
				sha256, content, uploader_account_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				out.ID, file.Name, file.Size, file.ContentType, file.SHA256, file.Data, db.NullID(actor.AccountID), clock())
			if err != nil {
				return fmt.Errorf("evidence file: %w", err)
			}
			out.FileID, out.FileName = &id, file.Name
		}
		if source == SourceSelf {
			if err := askSupervisor(ctx, tx, p, c, in.Level); err != nil {
				return err
			}
		}
		if source != SourceSelf && p.AccountID != 0 && p.AccountID != actor.AccountID {
			if err := notify.Send(ctx, tx, notify.Message{AccountID: p.AccountID, Kind: "competency.verified",
				Args: []string{c.Name, strconv.Itoa(in.Level)}, Link: ProfileLink(p.ID)}); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "competency_assessment", EntityID: out.ID,
			AgencyID: p.AgencyID, After: out})
	})
	return out, err
}

// askSupervisor tells the person's direct supervisor that a
// self-assessment above what counts now waits for their verification.
func askSupervisor(ctx context.Context, tx db.Querier, p Person, c Competency, level int) error {
	if p.SupervisorID == nil {
		return nil
	}
	var account int64
	var verified int
	err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT id FROM accounts WHERE employee_id = $1 AND active), 0),
		COALESCE((SELECT max(level) FROM competency_assessments WHERE employee_id = $2 AND competency_id = $3
			AND source <> 'self' AND (expires_at IS NULL OR expires_at > $4)), 0)`,
		*p.SupervisorID, p.ID, c.ID, time.Now().UTC()).Scan(&account, &verified)
	if err != nil {
		return fmt.Errorf("supervisor of %d: %w", p.ID, err)
	}
	if account == 0 || level <= verified {
		return nil
	}
	return notify.Send(ctx, tx, notify.Message{AccountID: account, Kind: "competency.requested",
		Args: []string{p.Name, strconv.Itoa(level), c.Name},
		Link: ProfileLink(p.ID) + "?kompetensi=" + strconv.FormatInt(c.ID, 10) + "#assess-title"})
}

// sourceFor decides what an entry rests on from who makes it: a person's
// own entry is a self-assessment, anyone else's a verification they must
// be allowed to make.
func sourceFor(actor *policy.Actor, t policy.Target, asked string) (string, error) {
	self := actor != nil && actor.EmployeeID != 0 && actor.EmployeeID == t.EmployeeID
	if self && (asked == "" || asked == SourceSelf) {
		return SourceSelf, nil
	}
	if !slices.Contains([]string{"", SourceSelf, SourceTrainer, SourceSupervisor, SourceTest}, asked) {
		return "", errs.FieldErr("source", "one_of", "self, trainer, supervisor, test")
	}
	if err := policy.Check(actor, policy.CompetencyVerify, t); err != nil {
		return "", err
	}
	switch {
	case asked == SourceSelf:
		return "", errs.FieldErr("source", "competency.self_only")
	case asked == SourceTest:
		return SourceTest, nil
	case asked == SourceSupervisor && !t.Supervisor:
		return "", errs.FieldErr("source", "competency.not_supervisor")
	case t.Supervisor && asked != SourceTrainer:
		return SourceSupervisor, nil
	}
	return SourceTrainer, nil
}

// assessedCompetency finds the competency an entry is about, by id or code.
func (s *Service) assessedCompetency(ctx context.Context, tx db.Querier, in AssessmentInput) (Competency, error) {
	var c Competency
	var err error
	switch {
	case in.CompetencyID != 0:
		c, err = getCompetency(ctx, tx, in.CompetencyID)
	case in.Code != "":
		var id int64
		if e := tx.QueryRowContext(ctx, `SELECT id FROM competencies WHERE code = $1`, in.Code).Scan(&id); e == nil {
			c, err = getCompetency(ctx, tx, id)
		} else if e == sql.ErrNoRows {
			return c, errs.FieldErr("code", "competency.unknown")
		} else {
			return c, fmt.Errorf("competency %q: %w", in.Code, e)
		}
	default:
		return c, errs.FieldErr("competency_id", "required")
	}
	if errs.Is(err, errs.NotFound) {
		return c, errs.FieldErr("competency_id", "competency.unknown")
	}
	if err == nil && c.Retired() {
		return c, errs.FieldErr("competency_id", "competency.retired")
	}
	return c, err
}

// checkAssessment validates an entry and returns when it was shown.
func checkAssessment(in AssessmentInput, source string) (time.Time, error) {
	var v errs.Validation
	if in.Level < 1 || in.Level > Levels {
		v.Add("level", "competency.level_range", Levels)
	}
	if !slices.Contains(evidenceKinds, in.EvidenceKind) {
		v.Add("evidence_kind", "one_of", "certificate, session, test, document, mentoring")
	}
	checkText(&v, "evidence_ref", in.EvidenceRef, false, maxEvidenceRef)
	checkText(&v, "note", in.Note, false, maxAssessNote)
	if in.Score != nil && (*in.Score < 0 || *in.Score > 100) {
		v.Add("score", "competency.score_range")
	}
	if source == SourceTest && in.Score == nil {
		v.Add("score", "required")
	}
	now := clock()
	at := now
	if in.AssessedAt != nil {
		at = in.AssessedAt.UTC()
		switch {
		case at.After(now.Add(5 * time.Minute)):
			v.Add("assessed_at", "competency.date_future")
		case at.Year() < 1990:
			v.Add("assessed_at", "competency.date_past")
		}
	}
	return at, v.Err()
}

// EvidenceFile is a stored evidence document.
type EvidenceFile struct {
	Name, ContentType, SHA256 string
	CreatedAt                 time.Time
	Data                      []byte
}

// File returns an evidence document of a person's record, to those who
// may see their profile.
func (s *Service) File(ctx context.Context, actor *policy.Actor, employeeID, fileID int64) (EvidenceFile, error) {
	p, err := loadPerson(ctx, s.db.R, employeeID)
	if err != nil {
		return EvidenceFile{}, err
	}
	if err := policy.Check(actor, policy.DevelopmentView, targetOf(actor, p)); err != nil {
		return EvidenceFile{}, err
	}
	var f EvidenceFile
	err = s.db.R.QueryRowContext(ctx, `SELECT f.name, f.content_type, f.sha256, f.created_at, f.content
		FROM competency_evidence_files f JOIN competency_assessments a ON a.id = f.assessment_id
		WHERE f.id = $1 AND a.employee_id = $2`, fileID, employeeID).Scan(&f.Name, &f.ContentType, &f.SHA256, &f.CreatedAt, &f.Data)
	if err == sql.ErrNoRows {
		return f, errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return f, fmt.Errorf("evidence file %d: %w", fileID, err)
	}
	return f, nil
}
