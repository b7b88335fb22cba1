package main

import (
	"github.com/spf13/cobra"
)

// maintainCommand compacts the store a bounded step at a time. Writing
// commands start it detached when their write left the store due for it, as
// git starts gc --auto. It gives way to users: a command that needs the
// store sends it SIGTERM (which cancels the command's context), and it
// closes the store after the step under way.
func (a *app) maintainCommand() *cobra.Command {
	return &cobra.Command{
		Use:    "maintain",
		Short:  "Compact the workspace store (run automatically in the background)",
		Hidden: true,
		Args:   exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ws, err := a.openWorkspace("maintain")
			if err != nil {
				return err
			}
			return ws.Compact(cmd.Context())
		},
	}
}
