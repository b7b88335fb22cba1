package exchange

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"promptbench/storage"
	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// LibraryFile is the file of an export folder that holds what belongs to
// no single prompt (schema and taxonomy). Its name has a dot before .yaml,
// which no prompt's file can have (names are a-z 0-9 - _ /).
const LibraryFile = "library.promptbench.yaml"

// IsDirLayout tells whether an export_file setting (configured, resolved
// to path) names a folder: it ends with / or is an existing directory.
func IsDirLayout(configured, path string) bool {
	if strings.HasSuffix(configured, "/") {
		return true
	}
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// ExportDir writes the library as a folder: one export file per prompt,
// at the prompt's name (support/reply → DIR/support/reply.yaml), each a
// whole promptbench/v1 document with the prompt's experiments and audit
// events, plus LibraryFile with the taxonomy. Two
// changes to different prompts touch different files, so git merges them
// without a merge driver. Files whose content is unchanged are left alone;
// the written files are put in place together once all are made
// (workspace.AtomicBatch), each replaced atomically. A full export (no prompts or
// tags named) also removes the files of prompts no longer in the library.
func ExportDir(ctx context.Context, ws *workspace.Workspace, dir string, o ExportOptions) error {
	if o.WithLogs {
		return workspace.Invalidf("an export folder holds no log entries or runs: export them to one file")
	}
	written := map[string]bool{} // files of the export, relative to dir
	var batch workspace.AtomicBatch
	var same sameFile
	put := func(rel string, data []byte) error {
		written[rel] = true
		path := filepath.Join(dir, rel)
		if same.as(path, data) {
			return nil
		}
		return batch.Write(path, data)
	}
	full := len(o.Prompts) == 0 && len(o.Tags) == 0
	err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
		// The prompts are read twice rather than held: once for their
		// names when only some are exported, to pick their audit events
		// (selectedTrail), then to write their files one at a time.
		var follow map[string]bool
		if !full {
			var names []string
			err := forEachPrompt(tx, o, func(p workspace.Prompt) error {
				names = append(names, p.Name)
				return nil
			})
			if err == nil {
				follow, err = formerNames(tx, names)
			}
			if err != nil {
				return err
			}
		}
		byPrompt, err := readPromptEvents(tx, ws.Dir, follow)
		if err != nil {
			return err
		}
		defer byPrompt.close()
		// Label history lives in the audit trail: it is read once, when
		// the first labelled prompt comes.
		var moves map[string]workspace.MoveRecords
		prompts := newPromptWriter(tx)
		defer prompts.close()
		var w exportyaml.Writer
		made := 0 // bytes of files made since the table pages were released
		err = forEachPrompt(tx, o, func(p workspace.Prompt) error {
			if len(p.Labels) > 0 && moves == nil {
				if moves, err = workspace.AllMoveRecords(tx); err != nil {
					return err
				}
			}
			if w.Cap() > keepBuffer {
				w = exportyaml.Writer{} // grown by a large prompt: not kept
			}
			w.Reset()
			w.Str(0, "schema", Schema)
			w.Open(0, "prompts")
			if err := prompts.write(&w, p, moves[p.Name]); err != nil {
				return err
			}
			if err := writeExperiments(tx, &w, []string{p.Name}); err != nil {
				return err
			}
			events, err := byPrompt.of(p.Name)
			if err != nil {
				return err
			}
			writeAudit(&w, events)
			if err := put(filepath.FromSlash(p.Name)+".yaml", w.Bytes()); err != nil {
				return err
			}
			// The store's pages read stay counted in resident memory
			// until released (storage.Tx.ReleaseTablePages): released
			// now and then, as the files made, which are about what was
			// read, add up.
			if made += w.Len(); made >= releaseEvery {
				tx.ReleaseTablePages()
				made = 0
			}
			return nil
		})
		if err != nil {
			return err
		}
		w.Reset()
		w.Str(0, "schema", Schema)
		writeTaxonomy(&w, ws.Config.Taxonomy)
		w.Raw("prompts: []\n")
		if full {
			// The library file's events (those of no exported prompt:
			// deleted prompts' and those of no prompt) are written by a
			// full export only.
			events, err := byPrompt.rest()
			if err != nil {
				return err
			}
			writeAudit(&w, events)
		}
		return put(LibraryFile, w.Bytes())
	})
	if err == nil {
		err = batch.Commit()
	}
	if err != nil {
		batch.Abort()
		return err
	}
	if !full {
		return nil
	}
	return removeStale(dir, written)
}

// sameFile tells whether a file of the export folder holds what the
// export made for it, so that an unchanged file is left alone; a changed
// one is written beside it as soon as it is made (the export holds one
// file at a time whatever the library's size), and the batch puts the
// written files in place once all are made: a refused or failed export
// changes none. The file is read into a buffer kept for the next.
type sameFile struct{ buf []byte }

func (s *sameFile) as(path string, data []byte) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	// One byte more than expected: a file that grew since is not the same.
	s.buf = slices.Grow(s.buf[:0], len(data)+1)[:len(data)+1]
	n, err := io.ReadFull(f, s.buf)
	return err == io.ErrUnexpectedEOF && n == len(data) && bytes.Equal(s.buf[:n], data)
}

// removeStale removes the export files under dir that the export did not
// write (prompts since renamed or deleted), then folders left empty.
// Files that are not export files are left alone.
func removeStale(dir string, keep map[string]bool) error {
	stale, err := exportFilesIn(dir)
	if err != nil {
		return err
	}
	for _, rel := range stale {
		if keep[rel] {
			continue
		}
		if err := os.Remove(filepath.Join(dir, rel)); err != nil {
			return err
		}
		for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
			if os.Remove(filepath.Join(dir, d)) != nil {
				break // not empty
			}
		}
	}
	return nil
}

// exportFilesIn lists the export files in an export folder, relative to
// it, LibraryFile first, then by path: *.yaml files starting with the
// schema line. Hidden files and folders (temporary files among them) are
// skipped.
func exportFilesIn(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".yaml") {
			return nil
		}
		if !startsWithSchema(path) {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, rel)
		return nil
	})
	slices.SortFunc(out, func(a, b string) int {
		switch {
		case a == LibraryFile:
			return -1
		case b == LibraryFile:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out, err
}

func startsWithSchema(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8<<10)
	n, _ := f.Read(head)
	head = bytes.TrimPrefix(head[:n], []byte("\xef\xbb\xbf"))
	for bytes.HasPrefix(head, []byte("#")) {
		i := bytes.IndexByte(head, '\n')
		if i < 0 {
			return false
		}
		head = head[i+1:]
	}
	return bytes.HasPrefix(head, []byte("schema:"))
}
