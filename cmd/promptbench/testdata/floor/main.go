// Command floor is what Badger alone needs for what some promptbench
// commands do: the benchmarks run it beside the real commands, in the same
// run, and report each command's time as a ratio to it.
//
//	floor version             print a line: start-up and exit
//	floor list STORE          open read-only, print every prompt record
//	floor export STORE FILE   open read-only, write every prompt and
//	                          version record to FILE and sync it
//	floor export-audit STORE FILE
//	                          the same, then every record of the audit
//	                          trail in time order (the keys an export's
//	                          audit section reads), as export writes it
//	floor calls URL N CONC    N chat completions against the OpenAI-compatible
//	                          server at URL, CONC at a time (net/http and
//	                          go-openai alone)
//
// It lives under testdata so that `go build ./...` leaves it out; the
// benchmarks build it with `go build ./testdata/floor`, and the stack
// floor with `go build -tags stack ./testdata/floor` (stack.go).
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/dgraph-io/badger/v4"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(3)
	}
}

func run(args []string) error {
	if len(args) == 1 && args[0] == "version" {
		_, err := os.Stdout.WriteString("floor\n")
		return err
	}
	if len(args) < 2 {
		return fmt.Errorf("usage: floor version | list|export|export-audit STORE [FILE] | calls BASE_URL N CONCURRENCY")
	}
	if args[0] == "calls" {
		if len(args) != 4 {
			return fmt.Errorf("usage: floor calls BASE_URL N CONCURRENCY")
		}
		n, err1 := strconv.Atoi(args[2])
		conc, err2 := strconv.Atoi(args[3])
		if err1 != nil || err2 != nil || n < 0 || conc < 1 {
			return fmt.Errorf("floor calls: N and CONCURRENCY are counts")
		}
		return calls(args[1], n, conc)
	}
	// The options promptbench's read-only opens use (storage/options.go).
	db, err := badger.Open(badger.DefaultOptions(args[1]).WithReadOnly(true).WithLogger(nil).
		WithMemTableSize(2 << 20).WithValueLogFileSize(16 << 20).WithNumMemtables(2).
		WithBlockCacheSize(8 << 20).WithIndexCacheSize(4 << 20).WithMetricsEnabled(false).
		WithValueThreshold(64 << 10))
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "list":
		w := bufio.NewWriterSize(os.Stdout, 64<<10)
		if err := dump(db, w, "p"); err != nil {
			return err
		}
		return w.Flush()
	case "export", "export-audit":
		if len(args) != 3 {
			return fmt.Errorf("usage: floor %s STORE FILE", args[0])
		}
		prefixes := []string{"p", "v"}
		if args[0] == "export-audit" {
			prefixes = append(prefixes, "A")
		}
		f, err := os.Create(args[2])
		if err != nil {
			return err
		}
		defer f.Close()
		w := bufio.NewWriterSize(f, 256<<10)
		if err := dump(db, w, prefixes...); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return f.Sync()
	}
	return fmt.Errorf("unknown mode %q", args[0])
}

// dump writes "key value\n" for every record under each prefix, one
// iterator per prefix.
func dump(db *badger.DB, w io.Writer, prefixes ...string) error {
	return db.View(func(txn *badger.Txn) error {
		var val []byte
		for _, p := range prefixes {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(p)})
			for it.Rewind(); it.Valid(); it.Next() {
				var err error
				if val, err = it.Item().ValueCopy(val[:0]); err != nil {
					it.Close()
					return err
				}
				w.Write(it.Item().Key())
				w.Write([]byte{' '})
				w.Write(val)
				w.Write([]byte{'\n'})
			}
			it.Close()
		}
		return nil
	})
}
