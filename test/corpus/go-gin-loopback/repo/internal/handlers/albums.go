package handlers

import (
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
)

type album struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Artist string  `json:"artist"`
	Price  float64 `json:"price"`
}

var (
	mu     sync.Mutex
	albums = []album{{ID: "1", Title: "Blue Train", Artist: "John Coltrane", Price: 56.99}}
)

func Health(c *gin.Context) { c.String(http.StatusOK, "ok") }

func ListAlbums(c *gin.Context) {
	mu.Lock()
	defer mu.Unlock()
	c.IndentedJSON(http.StatusOK, albums)
}

func GetAlbum(c *gin.Context) {
	mu.Lock()
	defer mu.Unlock()
	for _, a := range albums {
		if a.ID == c.Param("id") {
			c.IndentedJSON(http.StatusOK, a)
			return
		}
	}
	c.IndentedJSON(http.StatusNotFound, gin.H{"message": "album not found"})
}

func PostAlbum(c *gin.Context) {
	var a album
	if err := c.BindJSON(&a); err != nil {
		return
	}
	mu.Lock()
	albums = append(albums, a)
	mu.Unlock()
	c.IndentedJSON(http.StatusCreated, a)
}
