"""Tools beside the product: the benchmark (`python -m fupin bench`) and the load test (`python -m fupin loadtest`)."""
