package archive

import "context"

// eventChanges returns the events selected by f as changes, newest first.
// Until the events table exists there are none.
func (s *Store) eventChanges(ctx context.Context, f ChangesFilter, limit int) ([]Change, error) {
	return nil, nil
}

// eventsPerDay counts events by UTC day.
func (s *Store) eventsPerDay(ctx context.Context, site string) ([]Count, error) {
	return nil, nil
}
