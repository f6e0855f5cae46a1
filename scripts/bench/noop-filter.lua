-- Benchmark script: the cheapest possible rules, to measure the cost of the Lua hooks
-- themselves (one map_folder call per folder, one filter_message call per message).
function map_folder(f)
    return nil
end

function filter_message(m)
    return true
end
