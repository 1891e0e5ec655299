// Command ferretdb-lite runs FerretDB v1 embedded, on SQLite, for local development and CI.
//
// Why a wrapper: `go install github.com/FerretDB/FerretDB/cmd/ferretdb` panics at start-up
// because the module zip lacks the generated build/version/version.txt (FerretDB#2982).
// Embedding the public ferretdb package from our own main module avoids that code path.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:./data/", "SQLite directory URL; the directory must exist and end with /")
	flag.Parse()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("ferretdb-lite listening on %s", f.MongoDBURI())
	f.Run(ctx)
	log.Printf("ferretdb-lite stopped")
}
