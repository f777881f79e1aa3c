package transfer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"strconv"
	"strings"
	"time"
)

// kind is what a column holds, named from its PostgreSQL type: the typed
// side decides, because SQLite stores a boolean as an integer, a time as
// unix microseconds and a date as text.
type kind int

const (
	kindInt kind = iota
	kindBool
	kindTime
	kindDate
	kindFloat
	kindText
	kindBytes
)

// kindOf maps information_schema's data_type to a kind; a type Lontara's
// migrations do not use is refused rather than copied wrongly.
func kindOf(dataType string) (kind, bool) {
	switch dataType {
	case "bigint", "integer", "smallint":
		return kindInt, true
	case "boolean":
		return kindBool, true
	case "timestamp with time zone", "timestamp without time zone":
		return kindTime, true
	case "date":
		return kindDate, true
	case "double precision", "real":
		return kindFloat, true
	case "text", "character varying", "character":
		return kindText, true
	case "bytea":
		return kindBytes, true
	}
	return 0, false
}

// timeLayouts are the text forms a time may have in a SQLite file written
// by another program or an older Lontara (today's stores write unix
// microseconds, which the driver returns as time.Time).
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// normalize turns a value read from either engine into the one Go value of
// its kind that PostgreSQL's COPY takes and the checksum encodes: int64,
// bool, time.Time in UTC to the microsecond (PostgreSQL's precision),
// float64, string or []byte; NULL stays nil.
func normalize(k kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case int16:
			return int64(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, nil
			}
		}
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, nil
			}
		}
	case kindTime, kindDate:
		t, ok := asTime(v)
		if !ok {
			break
		}
		if k == kindDate {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
		return t, nil
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		}
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	}
	return nil, fmt.Errorf("%T %v does not fit the column's type", v, v)
}

func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Truncate(time.Microsecond), true
	case int64: // unix microseconds, as internal/db stores times
		return time.UnixMicro(x).UTC(), true
	case string:
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, strings.TrimSpace(x)); err == nil {
				return t.UTC().Truncate(time.Microsecond), true
			}
		}
	}
	return time.Time{}, false
}

// digest is a table's checksum: sha256 over its rows in primary-key order,
// each value as a tag (NULL or not), its length and its canonical text, so
// the same data gives the same sum whichever engine it was read from.
type digest struct {
	h    hash.Hash
	rows int64
	buf  []byte // the row's encoding
	text []byte // one value's canonical text
}

func newDigest() *digest { return &digest{h: sha256.New()} }

// add adds one row of normalized values.
func (d *digest) add(cols []column, vals []any) {
	b := d.buf[:0]
	for i, v := range vals {
		if v == nil {
			b = append(b, 0)
			continue
		}
		d.text = canonical(cols[i].kind, v, d.text[:0])
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(len(d.text)))
		b = append(b, d.text...)
	}
	d.h.Write(b)
	d.buf = b
	d.rows++
}

// canonical appends v's canonical text to dst.
func canonical(k kind, v any, dst []byte) []byte {
	switch k {
	case kindInt:
		return strconv.AppendInt(dst, v.(int64), 10)
	case kindBool:
		if v.(bool) {
			return append(dst, 't')
		}
		return append(dst, 'f')
	case kindTime:
		return v.(time.Time).AppendFormat(dst, "2006-01-02T15:04:05.000000Z")
	case kindDate:
		return v.(time.Time).AppendFormat(dst, "2006-01-02")
	case kindFloat:
		return strconv.AppendFloat(dst, v.(float64), 'g', -1, 64)
	case kindText:
		return append(dst, v.(string)...)
	}
	return append(dst, v.([]byte)...)
}

// sum is the checksum in hex.
func (d *digest) sum() string { return hex.EncodeToString(d.h.Sum(nil)) }
