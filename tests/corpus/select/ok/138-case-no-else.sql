select case http_status when 200 then 'ok' when 404 then 'missing' end as s from access_log
