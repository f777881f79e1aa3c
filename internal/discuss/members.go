package discuss

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Member is a member of a space and their role in it.
type Member struct {
	Author
	Role string    `json:"role"`
	At   time.Time `json:"created_at"`
}

// Members lists a space's members, moderators first; those who administer
// the space see it (NotFound for those who may not read it, Forbidden for
// readers).
func (s *Service) Members(ctx context.Context, actor *policy.Actor, spaceID int64) (Space, []Member, error) {
	sp, tg, err := ReadableSpace(ctx, s.db.R, actor, spaceID)
	if err != nil {
		return Space{}, nil, err
	}
	if err := policy.Check(actor, policy.SpaceAdmin, tg); err != nil {
		return Space{}, nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT m.account_id, e.id, e.name, COALESCE(e.email, ''), m.role, m.created_at
		FROM space_members m JOIN accounts a ON a.id = m.account_id JOIN employees e ON e.id = a.employee_id
		WHERE m.space_id = $1 ORDER BY m.role DESC, e.name, m.account_id`, spaceID)
	if err != nil {
		return Space{}, nil, fmt.Errorf("discuss: members: %w", err)
	}
	defer rows.Close()
	var list []Member
	for rows.Next() {
		var m Member
		var email string
		if err := rows.Scan(&m.ID, &m.EmployeeID, &m.Name, &email, &m.Role, &m.At); err != nil {
			return Space{}, nil, fmt.Errorf("discuss: members: %w", err)
		}
		m.Handle, m.At = handleOf(email), m.At.UTC()
		list = append(list, m)
	}
	return sp, list, rows.Err()
}

// SetMember adds the person with the given email (or @handle) to a space,
// or changes their role (RoleMember, RoleModerator); the space's
// administrators do it.
func (s *Service) SetMember(ctx context.Context, actor *policy.Actor, spaceID int64, who, role string) error {
	if role != RoleMember && role != RoleModerator {
		return errs.FieldErr("role", "discuss.role")
	}
	who = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(who), "@"))
	if who == "" {
		return errs.FieldErr("who", "required")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		sp, tg, err := ReadableSpace(ctx, tx, actor, spaceID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceAdmin, tg); err != nil {
			return err
		}
		var account int64
		if strings.Contains(who, "@") {
			err = tx.QueryRowContext(ctx, `SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id
				WHERE LOWER(e.email) = $1 AND a.active = TRUE`, who).Scan(&account)
			if errors.Is(err, sql.ErrNoRows) {
				return errs.FieldErr("who", "discuss.no_person")
			}
			if err != nil {
				return fmt.Errorf("discuss: member: %w", err)
			}
		} else {
			people, err := resolveHandles(ctx, tx, []string{who})
			if err != nil {
				return err
			}
			a, ok := people[who]
			if !ok {
				return errs.FieldErr("who", "discuss.no_person")
			}
			account = a.ID
		}
		var before string
		err = tx.QueryRowContext(ctx, `SELECT role FROM space_members WHERE space_id = $1 AND account_id = $2`,
			spaceID, account).Scan(&before)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO space_members (space_id, account_id, role, created_at)
				VALUES ($1, $2, $3, $4)`, spaceID, account, role, time.Now().UTC())
		case err == nil && before == role:
			return nil
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE space_members SET role = $1 WHERE space_id = $2 AND account_id = $3`,
				role, spaceID, account)
		}
		if err != nil {
			return fmt.Errorf("discuss: member: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "member", Entity: "space", EntityID: spaceID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]any{"account_id": account, "role": before},
			After: map[string]any{"account_id": account, "role": role}})
	})
}

// RemoveMember takes a person out of a space; its administrators do it.
func (s *Service) RemoveMember(ctx context.Context, actor *policy.Actor, spaceID, accountID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		sp, tg, err := ReadableSpace(ctx, tx, actor, spaceID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceAdmin, tg); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM space_members WHERE space_id = $1 AND account_id = $2`, spaceID, accountID)
		if err != nil {
			return fmt.Errorf("discuss: remove member: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "discuss.no_member")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "member", Entity: "space", EntityID: spaceID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]any{"account_id": accountID}})
	})
}
