package workspace

import (
	"fmt"
	"path/filepath"
)

// GitignoreName is the file init writes inside the workspace so that a
// repository holding .promptbench/ tracks config.yaml and never the store.
const GitignoreName = ".gitignore"

// gitignore keeps what is this machine's own out of git: the store (the
// library is shared through the export file), unsaved drafts, remembered
// variable values and temporary files of writes in progress.
const gitignore = `# Written by promptbench init. The store is this machine's copy of the
# library; share it through the export file (export_file in config.yaml).
# config.yaml belongs in git.
/store/
# the editor's unsaved drafts and the variable values last used per prompt
/drafts/
/vars/
# temporary files of writes in progress or interrupted
*.tmp
`

// ensureGitignore writes the workspace's .gitignore unless one exists (a
// user's own is left as it is) and tells whether it wrote it.
func ensureGitignore(dir string) (bool, error) {
	path := filepath.Join(dir, GitignoreName)
	if exists(path) {
		return false, nil
	}
	if err := WriteFileAtomic(path, []byte(gitignore)); err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	return true, nil
}
