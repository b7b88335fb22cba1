package workspace

import (
	"context"
	"fmt"
	"testing"
	"time"

	"promptbench/storage"
)

// BenchmarkCommitInOpenStore measures one durable commit inside an open
// store: validation, template parsing, hashing and the synced transaction.
func BenchmarkCommitInOpenStore(b *testing.B) {
	ws := newTestWorkspace(b)
	st, err := storage.Open(context.Background(), ws.storeOptions(false))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pc, err := ws.prepareCommit("bench", text(fmt.Sprintf("Version %d of a prompt about {{topic}} for {{audience}}.", i)))
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Update(func(tx *storage.Tx) error {
			_, err := pc.apply(tx, "bench", now)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
