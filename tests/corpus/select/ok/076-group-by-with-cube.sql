select country, device, browser, count() from sessions group by country, device, browser with cube
