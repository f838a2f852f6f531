app = lambda do |env|
  if env["PATH_INFO"] == "/healthz"
    [200, { "content-type" => "text/plain" }, ["ok"]]
  else
    [200, { "content-type" => "text/plain" }, ["hello"]]
  end
end
run app
