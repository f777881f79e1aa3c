package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// attachmentColumns are the columns scanAttachment reads: never the
// content, which lives in its own table.
const attachmentColumns = `a.id, a.ticket_id, a.message_id, COALESCE(m.internal, FALSE), a.name, a.size,
	a.content_type, a.sha256, a.created_at
	FROM ticket_attachments a LEFT JOIN ticket_messages m ON m.id = a.message_id`

func scanAttachment(row interface{ Scan(...any) error }) (Attachment, int64, error) {
	var a Attachment
	var ticketID int64
	var message sql.NullInt64
	err := row.Scan(&a.ID, &ticketID, &message, &a.Internal, &a.Name, &a.Size, &a.ContentType, &a.SHA256, &a.CreatedAt)
	a.Ticket, a.MessageID, a.CreatedAt = Number(ticketID), idPtr(message), a.CreatedAt.UTC()
	return a, ticketID, err
}

func insertAttachment(ctx context.Context, q db.Querier, ticketID int64, uploader *int64, a *Attachment, data []byte) error {
	id, err := db.InsertID(ctx, q, `INSERT INTO ticket_attachments
		(ticket_id, message_id, uploader_account_id, name, size, content_type, sha256, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		ticketID, a.MessageID, uploader, a.Name, a.Size, a.ContentType, a.SHA256, a.CreatedAt)
	if err != nil {
		return err
	}
	a.ID = id
	_, err = q.ExecContext(ctx, `INSERT INTO ticket_attachment_data (attachment_id, content) VALUES ($1, $2)`, id, data)
	return err
}

// attachments lists a ticket's files in order, those of notes only when
// withInternal.
func attachments(ctx context.Context, q db.Querier, ticketID int64, withInternal bool) ([]Attachment, error) {
	query := `SELECT ` + attachmentColumns + ` WHERE a.ticket_id = $1`
	if !withInternal {
		query += ` AND (m.internal IS NULL OR m.internal = FALSE)`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY a.id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: attachments: %w", err)
	}
	defer rows.Close()
	var list []Attachment
	for rows.Next() {
		a, _, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// findAttachment reads one file's description and its ticket's id.
func findAttachment(ctx context.Context, q db.Querier, id int64) (Attachment, int64, error) {
	a, ticketID, err := scanAttachment(q.QueryRowContext(ctx, `SELECT `+attachmentColumns+` WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Attachment{}, 0, errs.New(errs.NotFound, "attach.not_found")
	}
	if err != nil {
		return Attachment{}, 0, fmt.Errorf("helpdesk: find attachment: %w", err)
	}
	return a, ticketID, nil
}

// attachmentData reads a file's bytes.
func attachmentData(ctx context.Context, q db.Querier, id int64) ([]byte, error) {
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT content FROM ticket_attachment_data WHERE attachment_id = $1`, id).Scan(&data)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: attachment content: %w", err)
	}
	return data, nil
}
