// Package exchange reads and writes export files (promptbench/v1 YAML):
// Export and ExportTo write a library, Import merges one in under the
// core's import journal, LoadDemo loads the embedded demo, and
// SyncExportFile keeps config.yaml's export_file current when wired to
// workspace.Options.AfterChange. It sits above the core package
// workspace, which never imports it.
package exchange
