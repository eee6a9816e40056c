package crawlers

import (
	"context"
	"errors"
)

// Fetcher is the one polite HTTP client of a run. (Placeholder: the real
// implementation replaces this file.)
type Fetcher struct{}

// Get fetches one URL politely.
func (f *Fetcher) Get(ctx context.Context, req Request) (*Response, error) {
	return nil, errors.New("not implemented")
}
