SELECT number, number * number AS sq FROM numbers(10)
