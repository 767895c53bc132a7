SELECT `order`, `group`, `select`, `user-agent` FROM `weird table` WHERE `order` > 0
