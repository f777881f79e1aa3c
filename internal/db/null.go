package db

// NullID binds an optional reference: 0 (no row) as NULL, any other id as
// itself.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
