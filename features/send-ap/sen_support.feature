@v1.1.0
Feature: SEN support: assess, plan, do, review
  A school giving SEN support should review it with the parents at least three times a year
  (SEND Code of Practice 2015 paras 6.44-6.56, 6.65): this standard says within 4 months of the
  start of SEN support or of the last review, unless SEN support ends first. "Within 4 months
  of" a day is the same day 4 months later, or the last day of that month if it is shorter.

  SEN support starting on Monday 2 September 2024 should be reviewed by 2 January 2025.

  Background:
    Given a child born on 14 March 2016

  Rule: sen_support.review_cycle - review SEN support with the parents within 4 months

    Scenario: SEN support is reviewed in time, and the review starts the next 4 months
      Given SEN support started on Monday 2 September 2024
      And SEN support reviewed with the parents on 2 January 2025
      When the duties are decided on 1 March 2025
      Then the duty "sen_support.review_cycle" for the start of SEN support is met, due on 2 January 2025
      And the duty was satisfied by the SEN support review
      And the school holds the duty
      And the duty is a "should"
      And the duty cites "SEND Code of Practice 2015 paras 6.44-6.56"
      And the duty cites "SEND Code of Practice 2015 para 6.65"
      And the duty "sen_support.review_cycle" for the SEN support review is pending, due on 2 May 2025

    Scenario Outline: A review on the days around the due date
      Given SEN support started on 2 September 2024
      And SEN support reviewed with the parents on <reviewed>
      When the duties are decided on 1 March 2025
      Then the duty "sen_support.review_cycle" for the start of SEN support is <status>, due on 2 January 2025

      Examples:
        | reviewed       | status |
        | 1 January 2025 | met    |
        | 2 January 2025 | met    |
        | 3 January 2025 | late   |

    Scenario: No review is pending on the due date and overdue the next day
      Given SEN support started on 2 September 2024
      When the duties are decided on 2 January 2025
      Then the duty "sen_support.review_cycle" for the start of SEN support is pending, due on 2 January 2025
      When the duties are decided on 3 January 2025
      Then the duty "sen_support.review_cycle" for the start of SEN support is overdue, due on 2 January 2025

    Scenario: A review cycle through the year
      Given SEN support started on 2 September 2024
      And SEN support reviewed with the parents on 2 January 2025
      And SEN support reviewed with the parents on 1 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "sen_support.review_cycle" for the first SEN support review is met, due on 2 May 2025
      And the duty was satisfied by the second SEN support review
      And the duty "sen_support.review_cycle" for the second SEN support review is pending, due on 1 September 2025

    Scenario Outline: Four months from the end of October end in February
      Given SEN support started on <started>
      When the duties are decided on 1 June 2025
      Then the duty "sen_support.review_cycle" for the start of SEN support is overdue, due on <due>

      Examples: February has 28 days in 2025 and 29 in 2024
        | started         | due              |
        | 31 October 2024 | 28 February 2025 |
        | 31 October 2023 | 29 February 2024 |

    Scenario: SEN support that ends before the review is due needs no review
      Given SEN support started on 2 September 2024
      And SEN support ended on 13 December 2024
      When the duties are decided on 1 March 2025
      Then no duty "sen_support.review_cycle" applies

    Scenario: SEN support that ends after the due date does not excuse the missed review
      Given SEN support started on 2 September 2024
      And SEN support ended on 10 January 2025
      When the duties are decided on 1 March 2025
      Then the duty "sen_support.review_cycle" for the start of SEN support is overdue, due on 2 January 2025
