module example.com/acme/catalog

go 1.22
