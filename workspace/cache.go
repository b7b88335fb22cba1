package workspace

import (
	"context"
	"errors"

	"promptbench/storage"
)

// CacheGetMany reads the cached responses of keys in one read; missing
// keys are absent from the map.
func (ws *Workspace) CacheGetMany(ctx context.Context, keys []string) (map[string][]byte, error) {
	found := make(map[string][]byte, len(keys))
	err := ws.view(ctx, func(tx *storage.Tx) error {
		for _, k := range keys {
			b, err := tx.GetCache(k)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			found[k] = b
		}
		return nil
	})
	return found, err
}
