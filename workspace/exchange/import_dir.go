package exchange

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"promptbench/storage"
	"promptbench/workspace"
)

// ImportDir merges an export folder (ExportDir's layout: one export file
// per prompt and LibraryFile) as Import merges one file: every file is
// read and checked before anything is written, and the whole folder is
// imported in one all-or-nothing step. Each file must be in the layout
// export writes (hand edits in it are fine; a file rewritten in another
// YAML layout is refused: export again).
func ImportDir(ctx context.Context, ws *workspace.Workspace, dir string, o ImportOptions) (ImportPlan, error) {
	files, err := exportFilesIn(dir)
	if err != nil {
		return ImportPlan{}, fmt.Errorf("import %s: %w", dir, err)
	}
	if len(files) == 0 {
		return ImportPlan{}, workspace.Invalidf("%s holds no export files (*.yaml starting with schema: %s)", dir, Schema)
	}
	return importWith(ctx, ws, dir, o, func(tx *storage.Tx, lim workspace.ImportLimits) (*importer, error) {
		im := newImporter(ctx, ws, tx, dir, o, lim)
		br := bufio.NewReaderSize(nil, 64<<10) // one read buffer for all the files
		for _, rel := range files {
			path := filepath.Join(dir, rel)
			if err := im.readFile(path, lim, br); err != nil {
				return im, err
			}
		}
		im.name = dir
		return im, im.finish()
	})
}

// readFile reads one file of a folder into the importer's merge, through
// br.
func (im *importer) readFile(path string, lim workspace.ImportLimits, br *bufio.Reader) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Size() > int64(lim.Bytes) {
		return workspace.Invalidf("%s is %s; one import file may be at most %s", path, workspace.SizeText(fi.Size()), workspace.SizeText(int64(lim.Bytes)))
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	im.name, im.schemaLine = path, 0
	br.Reset(f)
	lr := newLineReader(path, br, lim)
	dec := pieceDecoder{name: path, lim: lim}
	im.pipe = newPipeline()
	err = newSplitter(lr, im, dec).run()
	// The first error in file order wins: pieces still queued come before
	// the one the splitter stopped at.
	if derr := im.pipe.drain(); derr != nil {
		err = derr
	}
	im.pipe.close()
	im.pipe = nil
	var le *layoutError
	if errors.As(err, &le) {
		return workspace.Invalidf("%s:%d: not in the layout `promptbench export` writes (%s): export the library again with promptbench export --dir", path, le.line, le.why)
	}
	if err == nil && im.schemaLine == 0 {
		return workspace.Invalidf("%s:1: missing schema; an export file starts with `schema: %s`", path, Schema)
	}
	return err
}
