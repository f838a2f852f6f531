workers Integer(ENV.fetch("WEB_CONCURRENCY", 2))
threads 5, 5
