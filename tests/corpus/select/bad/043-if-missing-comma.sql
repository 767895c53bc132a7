-- expect: 2:36
SELECT if(status = 'paid', revenue 0) AS paid_revenue FROM orders
