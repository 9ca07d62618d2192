//go:build !linux

package export

import "os"

// fastCreate is Linux's openat2 fast path for new files (tree_linux.go);
// elsewhere every file goes through os.Root.
type fastCreate struct{}

func (f *fastCreate) open(*os.Root) {}

func (f *fastCreate) close() {}

func (f *fastCreate) create(string, []byte) (bool, error) { return false, nil }
